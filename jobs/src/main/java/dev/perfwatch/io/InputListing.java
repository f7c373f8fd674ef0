package dev.perfwatch.io;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The files under a run's input paths: every file, read recursively, less names starting with '.' or
 * '_' (Flink's default: in-progress and staging files) and less the run's own folders (its output and
 * control folders) where they lie inside an input directory. Without that, {@code monitor data/ -o
 * data/out} run twice reads the first run's alerts and dead letters as metrics.
 *
 * <p>A folder is left out only when it is strictly inside an input: an input that is the output folder
 * or lies inside it ({@code monitor out/alerts}) is read, as asked.
 */
public final class InputListing implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] roots;
    /** Absolute forms of the folders to leave out that lie strictly inside a root. */
    private final List<String> skipped;

    /**
     * @param roots the input files and directories
     * @param ownFolders the run's own folders (output, control); those not inside an input are ignored
     */
    public InputListing(List<String> roots, List<String> ownFolders) {
        this.roots = roots.toArray(String[]::new);
        List<String> absRoots = roots.stream().map(r -> absolute(new Path(r))).toList();
        List<String> inside = new ArrayList<>();
        for (String own : ownFolders) {
            if (own == null) {
                continue;
            }
            String a = absolute(new Path(own));
            boolean strictlyInside = absRoots.stream().anyMatch(r -> !r.equals(a) && within(a, r));
            boolean asked = absRoots.stream().anyMatch(r -> within(r, a));
            if (strictlyInside && !asked && !inside.contains(a)) {
                inside.add(a);
            }
        }
        // a folder inside another left out (control inside output) goes without saying
        inside.removeIf(a -> inside.stream().anyMatch(b -> !b.equals(a) && within(a, b)));
        this.skipped = List.copyOf(inside);
    }

    /** Every input path as given. */
    public Path[] paths() {
        Path[] p = new Path[roots.length];
        for (int i = 0; i < roots.length; i++) {
            p[i] = new Path(roots[i]);
        }
        return p;
    }

    /** The run's own folders that lie inside an input and are not read (absolute). */
    public List<String> skipped() {
        return skipped;
    }

    /** One split per file (files are not split), in no particular order. */
    public Collection<FileSourceSplit> splits() throws IOException {
        return new NonSplittingRecursiveEnumerator(new Filter(skipped)).enumerateSplits(paths(), 1);
    }

    /** Flink's default filter, and none of the skipped folders. */
    private static final class Filter implements Predicate<Path>, Serializable {
        private static final long serialVersionUID = 1L;
        private final List<String> skipped;

        Filter(List<String> skipped) {
            this.skipped = skipped;
        }

        @Override
        public boolean test(Path path) {
            String name = path.getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
            if (skipped.isEmpty()) {
                return true;
            }
            String a = absolute(path);
            for (String s : skipped) {
                if (within(a, s)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether {@code path} is {@code dir} or lies under it (both absolute). */
    static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }

    /**
     * A comparable absolute form: local paths (no scheme, or file:) resolved against the working
     * directory and normalised; others as their URI without a trailing slash.
     */
    static String absolute(Path path) {
        java.net.URI uri = path.toUri();
        String scheme = uri.getScheme();
        if (scheme == null || "file".equals(scheme)) {
            return java.nio.file.Path.of(uri.getPath()).toAbsolutePath().normalize().toString();
        }
        String s = uri.toString();
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
