package dev.pdq.train.loop;

import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs inside {@link DiskFaultTest}'s mount namespace, where its argument is a small tmpfs: a tiny training run
 * writes its folder there (RunDirectory: model, log, plots, checkpoint, each atomically), then the disk is filled
 * (or remounted read-only) and the run's next epoch end, a checkpoint write and a model write must each fail with
 * an error naming the file, leaving every file of the run byte for byte as it was and no temporary file behind.
 * Prints one line per fault; exits non-zero (an AssertionError) on the first broken promise.
 */
public final class DiskFaultProbe {

    private DiskFaultProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        probe(mount, "full", () -> fill(mount));
        Files.delete(mount.resolve("filler"));
        probe(mount, "read-only", () -> run("mount", "-o", "remount,ro", mount.toString()));
    }

    interface Fault {
        void inject() throws Exception;
    }

    private static void probe(Path mount, String name, Fault fault) throws Exception {
        Path runDir = mount.resolve(name);
        TrainConfig cfg = TinyRun.config(2, 1e-2, 1e-3, 0);
        RunDirectory run = TinyRun.directory(runDir, cfg);
        Map<Path, byte[]> before = new TreeMap<>();
        TrainState[] last = new TrainState[1];
        int[] faultAfterEpoch = {-1};
        IOException epochEnd = null;
        try (var gradient = TinyRun.gradient(cfg, 1)) {
            new Trainer(cfg, TinyRun.frames(), gradient, TinyRun.validator(), s -> {
                run.epochEnd(s);
                last[0] = s;
                if (s.epochsDone() == 1) {
                    before.putAll(snapshot(runDir));
                    faultAfterEpoch[0] = s.epochsDone();
                    try {
                        fault.inject();
                    } catch (Exception e) {
                        throw new IllegalStateException("injecting the fault failed", e);
                    }
                }
            }, new Progress.NoProgress()).run(TinyRun.fresh());
        } catch (IOException e) {
            epochEnd = e;
        }
        if (before.isEmpty() || faultAfterEpoch[0] != 1) {
            throw new AssertionError(name + ": the run did not get through epoch 1 before the fault", epochEnd);
        }
        check(name, "end of epoch 2 (RunDirectory.epochEnd)", epochEnd, run.modelFile(), runDir, before);

        IOException checkpoint = null;
        try {
            Checkpoint.write(run.checkpointFile(), last[0], cfg.fingerprint());
        } catch (IOException e) {
            checkpoint = e;
        }
        check(name, "checkpoint (Checkpoint.write)", checkpoint, run.checkpointFile(), runDir, before);

        IOException model = null;
        try {
            Operator op = ModelFile.read(run.modelFile());
            ModelFile.write(op.withProvenance(op.provenance() + " (rewritten)"), run.modelFile());
        } catch (IOException e) {
            model = e;
        }
        check(name, "model (runtime ModelFile.write)", model, run.modelFile(), runDir, before);
    }

    private static void check(String fault, String what, IOException e, Path file, Path runDir,
                              Map<Path, byte[]> before) throws IOException {
        if (e == null) {
            throw new AssertionError(fault + ": writing the " + what + " did not fail");
        }
        if (!e.getMessage().contains(file.toString())) {
            throw new AssertionError(fault + ": the error does not name " + file + ": " + e.getMessage(), e);
        }
        Map<Path, byte[]> after = snapshot(runDir);
        if (!after.keySet().equals(before.keySet())) {
            throw new AssertionError(fault + ", " + what + ": files before " + before.keySet() + ", after "
                    + after.keySet() + " (a temporary file left behind?)");
        }
        for (Map.Entry<Path, byte[]> f : before.entrySet()) {
            if (!Arrays.equals(f.getValue(), after.get(f.getKey()))) {
                throw new AssertionError(fault + ", " + what + ": " + f.getKey() + " changed");
            }
        }
        System.out.println(fault + " | " + what + " | " + e.getMessage() + " | " + before.size()
                + " files intact, no temporary file");
    }

    /** Every file of the folder (temporary files included) and its bytes. */
    private static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(p.getFileName(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** Writes zeros until the file system is full. */
    private static void fill(Path mount) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(mount.resolve("filler"))) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }
}
