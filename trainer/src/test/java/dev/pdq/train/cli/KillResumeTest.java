package dev.pdq.train.cli;

import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.loop.Checkpoint;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.loop.TrainState;
import dev.pdq.train.testing.Wavs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run killed with SIGKILL at random moments and resumed ends with exactly the model of an uninterrupted
 * run (issue 8). {@value #TRIALS} trials; in each, {@code pdq-train train} runs in a child JVM and is killed after a
 * seeded random delay (trial 0 early, before its first checkpoint as a rule; the others at a random moment after
 * one exists), then continued with {@code --resume} (or started again where no checkpoint existed yet), possibly
 * killed again at a random moment, until it finishes.
 *
 * <p>Bit for bit, with 2 gradient workers: the batch is split into contiguous parts whose gradients are summed in
 * worker order (ParallelGradient), and validation scores each file on its own, so no sum depends on thread timing;
 * the Java BLAS has no threads of its own.
 */
class KillResumeTest {
    static final int TRIALS = 5;
    /** Kills per trial at most; each trial then runs to the end. */
    static final int MAX_KILLS = 2;
    static final long SEED = 8;
    static final long PATIENCE_SECONDS = 120;

    @TempDir
    Path dir;

    private List<String> command(Path train, Path valid, Path out, boolean resume) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TrainMain.class.getName(),
                "train", "--train", train.toString(), "--valid", valid.toString(), "--out", out.toString(),
                "--frame-length", "32", "-L", "3", "-b", "2", "--epochs", "8", "--batch", "4", "--steps-per-epoch",
                "12", "--lr-start", "1e-3", "--lr-end", "1e-4", "--seed", "5", "--threads", "2", "--backend", "java",
                "--progress", "none"));
        if (resume) {
            c.add("--resume");
        }
        return c;
    }

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void finish(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "training did not finish");
        assertEquals(0, p.exitValue(), () -> "exit code; log:\n" + read(log));
    }

    @Test
    void killedAndResumedRunsEndWithTheUninterruptedModel() throws Exception {
        Path train = Wavs.speechCorpus(dir, "train", 4, 16000, 81);
        Path valid = Wavs.speechCorpus(dir, "valid", 1, 16000, 91);

        Path straight = dir.resolve("straight");
        long t0 = System.nanoTime();
        finish(start(command(train, valid, straight, false), dir.resolve("straight.log")), dir.resolve("straight.log"));
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        Operator expected = ModelFile.read(straight.resolve(RunDirectory.MODEL));
        TrainState expectedState = Checkpoint.read(straight.resolve(RunDirectory.CHECKPOINT)).state();

        Random rnd = new Random(SEED);
        int kills = 0;
        int resumedFromCheckpoint = 0;
        StringBuilder report = new StringBuilder();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path out = dir.resolve("trial" + trial);
            report.append("trial ").append(trial).append(':');
            for (int attempt = 0, retry = 0; ; attempt++) {
                boolean resume = Files.exists(out.resolve(RunDirectory.CHECKPOINT));
                resumedFromCheckpoint += resume ? 1 : 0;
                Path log = dir.resolve("trial" + trial + "-" + attempt + "-" + retry + ".log");
                long start = System.nanoTime();
                Process p = start(command(train, valid, out, resume), log);
                if (attempt == MAX_KILLS || (attempt > 0 && rnd.nextBoolean())) {
                    finish(p, log);
                    report.append(resume ? " resumed to the end" : " ran to the end");
                    break;
                }
                // The first kill of trial 0 lands early (most likely before the first checkpoint: the run must
                // start again); the first kill of the others a random moment after a checkpoint exists (the run
                // must resume); later kills a random moment of a resumed run. Halved on a retry.
                double scale = Math.pow(0.5, retry);
                long delay;
                if (attempt == 0 && trial > 0) {
                    waitFor(out.resolve(RunDirectory.CHECKPOINT), p);
                    delay = (long) (runMillis * 0.3 * rnd.nextDouble() * scale);
                } else {
                    delay = (long) (runMillis * (attempt == 0 ? 0.05 + 0.3 * rnd.nextDouble()
                            : 0.2 + 0.7 * rnd.nextDouble()) * scale);
                }
                if (p.waitFor(delay, TimeUnit.MILLISECONDS)) { // it finished before the kill
                    finish(p, log);
                    if (attempt > 0) {
                        report.append(" finished before the kill");
                        break;
                    }
                    deleteRecursively(out); // every trial is killed at least once: again, sooner
                    retry++;
                    attempt--;
                    continue;
                }
                p.destroyForcibly(); // SIGKILL
                assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
                kills++;
                int epochs = assertFilesWhole(out);
                report.append(" killed at ").append((System.nanoTime() - start) / 1_000_000).append(" ms (")
                        .append(epochs < 0 ? "no checkpoint" : "checkpoint after epoch " + epochs).append("),");
            }
            report.append('\n');
            Operator got = ModelFile.read(out.resolve(RunDirectory.MODEL));
            assertArrayEquals(expected.matrix(), got.matrix(), 0f, "trial " + trial + ": K differs\n" + report);
            for (int i = 0; i < expected.matrix().length; i++) {
                assertEquals(Float.floatToRawIntBits(expected.matrix()[i]), Float.floatToRawIntBits(got.matrix()[i]));
            }
            TrainState state = Checkpoint.read(out.resolve(RunDirectory.CHECKPOINT)).state();
            assertTrue(expectedState.sameAs(state), "trial " + trial + ": K, Adam moments, norm vector, counters or"
                    + " best K differ from the uninterrupted run\n" + report);
            assertEquals(deterministicColumns(straight), deterministicColumns(out), "trial " + trial + ": train.csv");
        }
        System.err.println("KillResumeTest: uninterrupted run " + runMillis + " ms; " + kills + " kills, "
                + resumedFromCheckpoint + " resumes from a checkpoint\n" + report);
        assertTrue(kills >= TRIALS, "every trial killed at least once:\n" + report);
        assertTrue(resumedFromCheckpoint >= TRIALS - 1, "trials 1.. are killed after a checkpoint and resume:\n"
                + report);
    }

    /** Waits until {@code file} exists (or the process ended). */
    private static void waitFor(Path file, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!Files.exists(file) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    private static void deleteRecursively(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /**
     * After a kill, every file of the run that exists is whole (the temporary files of an interrupted atomic write
     * may stay behind): the model and the checkpoint read back with valid checksums. Returns the epochs the
     * checkpoint holds, or -1 without one.
     */
    private static int assertFilesWhole(Path out) throws IOException {
        if (Files.exists(out.resolve(RunDirectory.MODEL))) {
            ModelFile.read(out.resolve(RunDirectory.MODEL));
        }
        if (!Files.exists(out.resolve(RunDirectory.CHECKPOINT))) {
            return -1;
        }
        return Checkpoint.read(out.resolve(RunDirectory.CHECKPOINT)).state().epochsDone();
    }

    /** train.csv without the timing and memory columns (train_seconds .. peak_heap_mib). */
    private static List<String> deterministicColumns(Path run) throws IOException {
        try (Stream<String> lines = Files.lines(run.resolve(RunDirectory.LOG))) {
            return lines.map(l -> {
                String[] f = l.split(",", -1);
                return String.join(",", Arrays.copyOfRange(f, 0, 9)) + "," + f[13];
            }).toList();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
