package dev.pdq.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden vectors of ../shared/vectors (see its README.md), computed in double by an independent NumPy
 * implementation. The folder is found through the system property {@code pdq.shared}; tests that use it are
 * skipped (not failed) where it is absent.
 */
public final class GoldenVectors {
    private GoldenVectors() {
    }

    /** ../shared, or a skipped test when the property is unset or the folder missing. */
    public static Path shared() {
        String prop = System.getProperty("pdq.shared");
        Assumptions.assumeTrue(prop != null && !prop.isBlank(), "system property pdq.shared not set");
        Path p = Paths.get(prop);
        Assumptions.assumeTrue(Files.isDirectory(p), "no shared folder at " + p);
        return p;
    }

    /** shared/vectors, or a skipped test. */
    public static Path folder() {
        Path p = shared().resolve("vectors");
        Assumptions.assumeTrue(Files.isRegularFile(p.resolve("meta.txt")), "no golden vectors in " + p);
        return p;
    }

    /** A CSV of the folder as rows (frames are rows; K is k x n). */
    public static double[][] matrix(String fileName) {
        Path file = folder().resolve(fileName);
        try {
            List<double[]> rows = new ArrayList<>();
            int line = 0;
            for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] cells = s.split(",");
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    try {
                        row[j] = Double.parseDouble(cells[j].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException(file + ":" + line + ": cell " + (j + 1) + " is not a number");
                    }
                }
                if (!rows.isEmpty() && rows.get(0).length != row.length) {
                    throw new IllegalStateException(file + ":" + line + ": " + row.length + " cells, expected "
                            + rows.get(0).length);
                }
                rows.add(row);
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** meta.txt as key = value pairs. */
    public static Map<String, String> meta() {
        Path file = folder().resolve("meta.txt");
        try {
            Map<String, String> m = new LinkedHashMap<>();
            for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = s.indexOf('=');
                if (eq > 0) {
                    m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number from meta.txt. */
    public static double metaDouble(String key) {
        String v = meta().get(key);
        if (v == null) {
            throw new IllegalStateException("meta.txt has no " + key);
        }
        return Double.parseDouble(v);
    }

    /** Rows concatenated, rounded to float (a batch of frames for PrimalDual.load, or K row-major). */
    public static float[] flatten(double[][] rows) {
        int cols = rows[0].length;
        float[] f = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols; j++) {
                f[i * cols + j] = (float) rows[i][j];
            }
        }
        return f;
    }
}
