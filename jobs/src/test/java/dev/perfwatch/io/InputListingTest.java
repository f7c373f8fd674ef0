package dev.perfwatch.io;

import org.apache.flink.connector.file.src.FileSourceSplit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which files a run reads: hidden and '_' names skipped, and its own folders inside an input. */
class InputListingTest {

    @TempDir
    Path dir;

    private TreeSet<String> read(InputListing listing) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        for (FileSourceSplit s : listing.splits()) {
            names.add(dir.relativize(Path.of(s.path().toUri().getPath())).toString());
        }
        return names;
    }

    private void touch(String relative) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x\n");
    }

    @Test
    void theRunsOwnFoldersInsideAnInputAreLeftOut() throws Exception {
        touch("data/a.csv");
        touch("data/svc/b.jsonl");
        touch("data/.hidden.csv");
        touch("data/_inprogress.csv");
        touch("data/out/alerts/dt=2026-11-26/hour=08/part-1.jsonl");
        touch("data/out/control/c.json");
        touch("data/outside/d.csv"); // a sibling whose name starts like the output's
        touch("ctl/e.json");
        String data = dir.resolve("data").toString();
        InputListing listing = new InputListing(List.of(data),
                List.of(dir.resolve("data/out").toString(), dir.resolve("data/out/control").toString(), dir.resolve("ctl").toString()));
        assertEquals(List.of(dir.resolve("data/out").toString()), listing.skipped(), "control inside out goes without saying; ctl is not inside");
        assertEquals(new TreeSet<>(List.of("data/a.csv", "data/svc/b.jsonl", "data/outside/d.csv")), read(listing));

        // the same given as a relative path with a trailing slash and a dot segment
        Path cwd = Path.of("").toAbsolutePath();
        String relative = cwd.relativize(dir.resolve("data")) + "/./";
        InputListing rel = new InputListing(List.of(relative), List.of(cwd.relativize(dir.resolve("data/out")).toString()));
        assertEquals(listing.skipped(), rel.skipped());
        assertEquals(read(listing), read(rel));
    }

    @Test
    void anInputThatIsTheOutputOrInsideItIsReadAsAsked() throws Exception {
        touch("out/alerts/a.jsonl");
        touch("out/regressions/r.jsonl");
        String out = dir.resolve("out").toString();
        InputListing whole = new InputListing(List.of(out), List.of(out));
        assertEquals(List.of(), whole.skipped());
        assertEquals(new TreeSet<>(List.of("out/alerts/a.jsonl", "out/regressions/r.jsonl")), read(whole));
        InputListing part = new InputListing(List.of(dir.toString(), dir.resolve("out/alerts").toString()), List.of(out));
        assertEquals(List.of(), part.skipped(), "asked for out/alerts by name: out is read");
        assertEquals(new TreeSet<>(List.of("out/alerts/a.jsonl", "out/regressions/r.jsonl")), read(part));
    }
}
