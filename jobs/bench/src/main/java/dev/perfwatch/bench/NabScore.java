package dev.perfwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Numenta Anomaly Benchmark's score of a set of detections, by the benchmark's published rules
 * (numenta/NAB, {@code nab/scorer.py} and {@code nab/sweeper.py}):
 * <ul>
 *   <li>rows in the first 15% of a file (at most 750) are probationary: detections there do not count;</li>
 *   <li>inside a labelled window only the earliest detection counts, {@code tp * S(x) / S(-1)} with
 *       {@code S(x) = 2 / (1 + e^(5x)) - 1} and x from -1 at the window's first row to 0 past its last;</li>
 *   <li>a window without a detection costs {@code fn};</li>
 *   <li>every detection outside the windows costs {@code fp * S(rows past the previous window's end /
 *       (that window's rows - 1))}, the full {@code fp} before the first window (and S = -1 from 3
 *       window-widths on);</li>
 *   <li>normalised: {@code 100 * (raw - null) / (perfect - null)}, null = {@code -fn} per window (nothing
 *       detected) and perfect = {@code tp} per window.</li>
 * </ul>
 * A detection at time t marks the first row at or after t. Profiles: standard (tp 1, fp 0.11, fn 1),
 * reward low false positives (fp 0.22), reward low false negatives (fn 2).
 */
public final class NabScore {

    /** The benchmark's three application profiles: weights of true positives, false positives and false negatives. */
    public enum Profile {
        STANDARD("standard", 1.0, 0.11, 1.0),
        REWARD_LOW_FP("reward_low_FP_rate", 1.0, 0.22, 1.0),
        REWARD_LOW_FN("reward_low_FN_rate", 1.0, 0.11, 2.0);

        public final String code;
        final double tp;
        final double fp;
        final double fn;

        Profile(String code, double tp, double fp, double fn) {
            this.code = code;
            this.tp = tp;
            this.fp = fp;
            this.fn = fn;
        }
    }

    /**
     * A corpus score: normalised score, raw sum, windows, windows with a counted detection, detections after
     * probation, files, and of those detections the ones outside every window (each costs points).
     */
    public record Result(double score, double raw, int windows, int windowsHit, int detections, int files, int outside) {}

    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private NabScore() {}

    static double sigmoid(double x) {
        return x > 3.0 ? -1.0 : 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
    }

    /**
     * One file: raw score, windows, windows hit, detections counted, those outside every window. stamps: row times ascending;
     * flags: a detection on the row; windows: [start, end] times, each a row's time.
     */
    static double[] scoreFile(long[] stamps, boolean[] flags, List<long[]> windows, Profile p) {
        int n = stamps.length;
        double probation = Math.min(Math.floor(0.15 * n), 0.15 * 5000);
        List<int[]> win = new ArrayList<>();
        for (long[] w : windows) {
            win.add(new int[] {rowOf(stamps, w[0]), rowOf(stamps, w[1])});
        }
        double raw = 0;
        Map<int[], Double> best = new LinkedHashMap<>();
        int[] cur = null;
        int next = 0;
        int prevRight = -1;
        int prevWidth = -1;
        int detections = 0;
        int outside = 0;
        for (int i = 0; i < n; i++) {
            if (cur == null && next < win.size() && i == win.get(next)[0]) {
                cur = win.get(next++);
            }
            double score;
            if (cur != null) {
                int width = cur[1] - cur[0] + 1;
                score = sigmoid(-(cur[1] - i + 1) / (double) width) * p.tp / sigmoid(-1.0);
            } else if (prevRight < 0) {
                score = -p.fp;
            } else {
                score = sigmoid(Math.abs(prevRight - i) / (double) (prevWidth - 1)) * p.fp;
            }
            if (i >= probation && flags[i]) {
                detections++;
                if (cur != null) {
                    best.merge(cur, score, Math::max);
                } else {
                    raw += score;
                    outside++;
                }
            }
            if (cur != null && i == cur[1]) {
                prevRight = i;
                prevWidth = cur[1] - cur[0] + 1;
                cur = null;
            }
        }
        for (int[] w : win) {
            Double b = best.get(w);
            raw += b != null ? b : -p.fn;
        }
        return new double[] {raw, win.size(), best.size(), detections, outside};
    }

    private static int rowOf(long[] stamps, long t) {
        int i = Arrays.binarySearch(stamps, t);
        if (i < 0) {
            throw new IllegalArgumentException("a labelled window's bound " + java.time.Instant.ofEpochMilli(t) + " is not a row's time");
        }
        while (i > 0 && stamps[i - 1] == t) {
            i--; // a repeated stamp: its first row, as a list's index() gives
        }
        return i;
    }

    /**
     * The corpus score of each profile. rows: per file key, its row times ascending; windows: per key,
     * its labelled windows; detections: per key, detection times (a key missing: none).
     */
    public static Map<Profile, Result> score(Map<String, long[]> rows, Map<String, List<long[]>> windows,
            Map<String, List<Long>> detections) {
        Map<Profile, Result> out = new LinkedHashMap<>();
        for (Profile p : Profile.values()) {
            double raw = 0;
            int nWindows = 0;
            int hits = 0;
            int dets = 0;
            int outside = 0;
            for (Map.Entry<String, long[]> e : rows.entrySet()) {
                long[] stamps = e.getValue();
                boolean[] flags = new boolean[stamps.length];
                for (long t : detections.getOrDefault(e.getKey(), List.of())) {
                    int i = Arrays.binarySearch(stamps, t);
                    if (i < 0) {
                        i = -i - 1;
                    } else {
                        while (i > 0 && stamps[i - 1] == t) {
                            i--;
                        }
                    }
                    if (i < stamps.length) {
                        flags[i] = true;
                    }
                }
                double[] f = scoreFile(stamps, flags, windows.getOrDefault(e.getKey(), List.of()), p);
                raw += f[0];
                nWindows += (int) f[1];
                hits += (int) f[2];
                dets += (int) f[3];
                outside += (int) f[4];
            }
            double none = -p.fn * nWindows;
            double perfect = p.tp * nWindows;
            out.put(p, new Result(100 * (raw - none) / (perfect - none), raw, nWindows, hits, dets, rows.size(), outside));
        }
        return out;
    }

    /** The row times of a NAB CSV (header {@code timestamp,value}; stamps {@code yyyy-MM-dd HH:mm:ss}, UTC; CRLF allowed). */
    public static long[] rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        long[] out = new long[Math.max(0, lines.size() - 1)];
        int n = 0;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            String stamp = s.substring(0, s.indexOf(','));
            int dot = stamp.indexOf('.');
            out[n++] = LocalDateTime.parse(dot >= 0 ? stamp.substring(0, dot) : stamp, ROW_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return Arrays.copyOf(out, n);
    }

    /** The row times of every CSV in a category folder, keyed by file name without .csv. */
    public static Map<String, long[]> rowsOf(Path folder) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - ".csv".length()), rows(f));
            }
        }
        return out;
    }

    /** The row times of each series' CSV (per series name). */
    public static Map<String, long[]> rowsOf(Map<String, Path> files) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            out.put(e.getKey(), rows(e.getValue()));
        }
        return out;
    }
}
