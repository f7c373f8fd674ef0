package dev.perfwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The NAB series a run scores: every series {@code combined_windows.json} labels (keys such as
 * {@code realKnownCause/machine_temperature_system_failure.csv}) whose file is found, in either layout:
 * <ul>
 *   <li>the repository's copy: {@code DIR/combined_windows.json} and {@code DIR/<category>/<file>.csv};</li>
 *   <li>a checkout of numenta/NAB: {@code DIR/labels/combined_windows.json} and {@code DIR/data/<category>/<file>.csv}.</li>
 * </ul>
 * Optionally only some categories. A series is named by its file name without {@code .csv} (NAB's names are
 * unique across categories).
 *
 * @param labels the labels file read
 * @param files per series, its CSV (sorted by name)
 * @param categories per series, its category (the folder its key names)
 * @param missing labelled series of the chosen categories whose file is not there (category/file keys)
 */
public record NabDataset(Path labels, Map<String, Path> files, Map<String, String> categories, List<String> missing) {

    /** NAB's corpus (v1.0 and later): 58 files in these seven categories, the set its published scoreboard is computed on. */
    static final Set<String> CORPUS_CATEGORIES = Set.of("artificialNoAnomaly", "artificialWithAnomaly", "realAdExchange",
            "realAWSCloudwatch", "realKnownCause", "realTraffic", "realTweets");
    static final int CORPUS_FILES = 58;

    /**
     * Finds the labelled series under {@code dir}; {@code only}: the categories to keep (empty: all).
     *
     * @throws IllegalArgumentException naming what was looked for when there is no labels file, a category is
     *     not in the labels, or no labelled series' file is there
     */
    public static NabDataset open(Path dir, Collection<String> only) throws IOException {
        Path labels = dir.resolve("combined_windows.json");
        if (!Files.isRegularFile(labels)) {
            labels = dir.resolve("labels").resolve("combined_windows.json");
        }
        if (!Files.isRegularFile(labels)) {
            throw new IllegalArgumentException(dir + ": no combined_windows.json in it (nor labels/combined_windows.json, as in a"
                    + " checkout of numenta/NAB); --dataset takes a NAB folder: the labels file and the series' category folders");
        }
        JsonNode keys;
        try {
            keys = new ObjectMapper().readTree(labels.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(labels + ": not NAB's labels (a JSON object of category/file.csv to windows): " + e.getMessage(), e);
        }
        if (keys == null || !keys.isObject()) {
            throw new IllegalArgumentException(labels + ": not NAB's labels (a JSON object of category/file.csv to windows)");
        }
        Set<String> known = new TreeSet<>();
        for (Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
            known.add(category(it.next()));
        }
        for (String c : only) {
            if (!known.contains(c)) {
                throw new IllegalArgumentException("--category " + c + ": not a category " + labels + " labels (it has: "
                        + String.join(", ", known) + ")");
            }
        }
        Map<String, Path> files = new TreeMap<>();
        Map<String, String> categories = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String category = category(key);
            if (!only.isEmpty() && !only.contains(category)) {
                continue;
            }
            Path file = dir.resolve(key);
            if (!Files.isRegularFile(file)) {
                file = dir.resolve("data").resolve(key);
            }
            if (!Files.isRegularFile(file)) {
                missing.add(key);
                continue;
            }
            String series = name(key);
            Path before = files.put(series, file);
            if (before != null) {
                throw new IllegalArgumentException(labels + ": two labelled files named " + series + ".csv (" + before + ", " + file
                        + "); a series is named by its file");
            }
            categories.put(series, category);
        }
        if (files.isEmpty()) {
            String first = missing.isEmpty() ? "category/file.csv" : missing.get(0);
            throw new IllegalArgumentException(dir + ": none of the " + missing.size() + " series " + labels.getFileName()
                    + " labels was found (looked for " + dir.resolve(first) + " and " + dir.resolve("data").resolve(first) + ")");
        }
        return new NabDataset(labels, files, categories, missing);
    }

    /** The categories scored, sorted. */
    public Set<String> categorySet() {
        return new TreeSet<>(categories.values());
    }

    /** Every file of NAB's corpus: the set the published scoreboard over 58 files is for. */
    public boolean isWholeCorpus() {
        return missing.isEmpty() && files.size() == CORPUS_FILES && categorySet().equals(CORPUS_CATEGORIES);
    }

    /** The labelled windows of the scored series. */
    public Map<String, List<long[]>> windows() throws IOException {
        Map<String, List<long[]>> all = NabEvaluation.windows(labels);
        all.keySet().retainAll(files.keySet());
        return all;
    }

    static String category(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    static String name(String key) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        return file.endsWith(".csv") ? file.substring(0, file.length() - ".csv".length()) : file;
    }
}
