package dev.pdq.train.loop;

import dev.pdq.train.files.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @TempDir
    Path dir;

    static TrainState sampleState(long seed) {
        Random rnd = new Random(seed);
        int k = 6;
        int n = 5;
        float[] kMat = new float[k * n];
        for (int i = 0; i < kMat.length; i++) {
            kMat[i] = (float) rnd.nextGaussian();
        }
        TrainState s = new TrainState(kMat, k, n);
        float[] g = new float[k * n];
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rnd.nextGaussian();
            }
            s.adam.step(s.kMat, g, 1e-3);
        }
        s.norm.update(s.kMat);
        s.epochsDone = 2;
        s.step = 3;
        s.referenceMse = 1.5e-3;
        s.bestK = s.kMat.clone();
        s.bestK[0] += 1;
        s.bestMse = 1.2e-3;
        s.bestEpoch = 1;
        s.sinceBest = 1;
        s.log.add(new EpochRecord(0, 0, Double.NaN, Double.NaN, Double.NaN, 2e-3, 11.5, 11.9, 5.5, 0, 0.5,
                Double.NaN, 100, true));
        s.log.add(new EpochRecord(1, 2, 1e-4, 5e-5, 1.9e-3, 1.2e-3, 12.5, 12.9, 6.5, 3, 0.5, 21.5, 120, true));
        s.log.add(new EpochRecord(2, 3, 4e-5, 1e-6, 1.8e-3, 1.3e-3, 12.4, 12.8, 6.4, 3, 0.5, 21.0, 121, false));
        return s;
    }

    private static Map<String, String> settings() {
        Map<String, String> m = new TreeMap<>();
        m.put("mode", "truncated");
        m.put("lr-start", "1.0E-4");
        return m;
    }

    @Test
    void roundTripKeepsEverythingBitForBit() throws IOException {
        TrainState s = sampleState(3);
        Path file = dir.resolve("c.pdqt");
        Checkpoint.write(file, s, settings());
        Checkpoint.Loaded back = Checkpoint.read(file);
        assertEquals(settings(), back.settings());
        TrainState r = back.state();
        assertTrue(s.sameAs(r));
        assertArrayEquals(s.kMat, r.kMat, 0f);
        assertArrayEquals(s.adam.secondMoment(), r.adam.secondMoment(), 0.0);
        assertArrayEquals(s.norm.vector(), r.norm.vector(), 0.0);
        assertEquals(s.log, r.log);
        assertArrayEquals(Checkpoint.toBytes(s, settings()), Files.readAllBytes(file));
    }

    @Test
    void damagedOrForeignFilesAreRefusedWithTheirName() throws IOException {
        Path file = dir.resolve("c.pdqt");
        byte[] good = Checkpoint.toBytes(sampleState(4), settings());
        byte[] flipped = good.clone();
        flipped[100] ^= 1;
        Files.write(file, flipped);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains(file.toString()), e.getMessage());
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 50));
        assertThrows(IOException.class, () -> Checkpoint.read(file));
        Files.writeString(file, "PDQK not a checkpoint at all");
        e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("not a pdq checkpoint"), e.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("c.pdqt");
        Checkpoint.write(file, sampleState(5), settings());
        byte[] before = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()) && e.getMessage().contains(
                "disk full (simulated)"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the checkpoint: the temporary file was removed");
        }
    }

    @Test
    void settingsDifferencesAreListed() {
        Map<String, String> a = settings();
        Map<String, String> b = new TreeMap<>(a);
        b.put("lr-start", "1.0E-5");
        b.put("seed", "2");
        String d = Checkpoint.differences(a, b);
        assertTrue(d.contains("lr-start: checkpoint 1.0E-4, now 1.0E-5") && d.contains("seed: checkpoint null, now 2"),
                d);
        assertEquals("", Checkpoint.differences(a, new TreeMap<>(a)));
    }
}
