package dev.pdq.train.grad;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden vectors of ../shared/vectors (see its README.md), located through the system property pdq.shared;
 * a test that needs them is skipped when they are absent.
 */
final class GoldenVectors {
    private GoldenVectors() {
    }

    /** The vectors folder; skips the calling test when pdq.shared is unset or has no vectors. */
    static Path dir() {
        String shared = System.getProperty("pdq.shared");
        Assumptions.assumeTrue(shared != null, "pdq.shared is not set");
        Path dir = Path.of(shared, "vectors");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("meta.txt")), "no golden vectors in " + dir);
        return dir;
    }

    /** A comma-separated matrix, one row a line. */
    static double[][] csv(String name) {
        Path file = dir().resolve(name);
        try {
            List<String> lines = Files.readAllLines(file);
            double[][] m = new double[lines.size()][];
            for (int i = 0; i < m.length; i++) {
                String[] cells = lines.get(i).split(",");
                m[i] = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    m[i][j] = Double.parseDouble(cells[j].trim());
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** meta.txt as key = value. */
    static Map<String, String> meta() {
        Path file = dir().resolve("meta.txt");
        try {
            Map<String, String> m = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static double metaDouble(String key) {
        String v = meta().get(key);
        if (v == null) {
            throw new IllegalStateException("meta.txt has no " + key);
        }
        return Double.parseDouble(v);
    }
}
