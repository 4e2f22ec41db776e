package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.cli.BitsOption;
import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.train.bench.TrainingBench;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Utterance;
import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.loop.GradientMode;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** pdq-train bench: training throughput against the gemm ceiling, and memory; see trainer/README-train.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times training steps (full and truncated backpropagation at each L) against the raw gemm"
                + " ceiling measured in the same run, with peak heap and gradient workspace.",
                "Prints a Markdown table on stderr; --out DIR also writes bench.md and bench.csv."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-L", "--iterations", "--iterations-list"}, split = ",", paramLabel = "L",
            defaultValue = "100,1000", description = "L values (default: ${DEFAULT-VALUE}).")
    List<Integer> ls;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", defaultValue = "truncated,full",
            converter = GradientModeNames.class, description = "Backpropagation modes (default: ${DEFAULT-VALUE}).")
    List<GradientMode> modes;

    @Option(names = "--steps", defaultValue = "20",
            description = "Timed steps per configuration, after as many warm-up steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", split = ",", paramLabel = "B", defaultValue = "32",
            description = "Frames per step; a list measures each (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Mixin
    BackpropOptions backprop = new BackpropOptions();

    @Mixin
    BitsOption bitsOption = new BitsOption();

    @Mixin
    FrameLengthOption frameLength = new FrameLengthOption();

    @Option(names = "--train", arity = "1..*", paramLabel = "DIR",
            description = "Take the frames from these folders (default: synthetic speech-like frames; with --engine"
                    + " spark: Hadoop paths, and the synthetic frames are generated inside the partitions).")
    List<String> trainDirs = new ArrayList<>();

    @Option(names = "--ceiling-ms", defaultValue = "300",
            description = "Time budget of each gemm shape of the ceiling, ms (default: ${DEFAULT-VALUE}).")
    long ceilingMs;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for bench.md and bench.csv.")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Mixin
    SparkOptions spark;

    /** Bits, checked. */
    private int bits;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || backprop.steps < 1 || ceilingMs < 1 || ls.isEmpty() || batches.isEmpty()
                || batches.stream().anyMatch(b -> b < 1)) {
            throw PdqException.usage("--steps, --batch, --backprop-steps, --ceiling-ms must be at least 1 and"
                    + " --iterations not empty");
        }
        for (int l : ls) {
            if (l < 1) {
                throw PdqException.usage("--iterations: L = " + l + " must be at least 1");
            }
        }
        bits = bitsOption.bits();
        if (spark.engine() == SparkOptions.Engine.SPARK) {
            return sparkBench();
        }
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().getAsInt();
        FrameSet frames = frames(steps * maxBatch);
        Blas blas = compute.blas();
        int threads = compute.threads();
        TrainingBench bench = new TrainingBench(blas, threads, frames, bits);
        Logger.info("bench: {} frames of {}, {} worker(s), BLAS {}", frames.count(), frameLength.n, threads,
                blas.description());
        double loadBefore = loadAverage();
        StringBuilder tables = new StringBuilder();
        List<TrainingBench.Result> results = new ArrayList<>();
        for (int batch : batches) {
            TrainingBench.Ceiling ceiling = bench.ceiling(batch, ceilingMs * 1_000_000L);
            List<TrainingBench.Result> rows = new ArrayList<>();
            for (int l : ls) {
                for (GradientMode m : modes) {
                    int b = Math.min(backprop.steps, l);
                    TrainingBench.Result r = bench.measure(m, l, b, steps, batch, backprop.alpha, ceiling);
                    Logger.info(String.format(Locale.ROOT, "%s L = %d, batch %d: %.4f s/step, %.0f frames/s, %.0f%% of"
                            + " the gemm ceiling", m, l, batch, r.secondsPerStep(), r.framesPerSecond(),
                            100 * r.shareOfCeiling()));
                    rows.add(r);
                }
            }
            tables.append(markdown(ceiling, rows, blas, threads, frames)).append('\n');
            results.addAll(rows);
        }
        String table = tables + String.format(Locale.ROOT,
                "System load average (1 min; %d processors): %.2f at the start, %.2f at the end.%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.err.println();
        System.err.println(table);
        if (out != null) {
            Files.createDirectories(out);
            AtomicFiles.write(out.resolve("bench.md"), table.getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(out.resolve("bench.csv"), csv(results).getBytes(StandardCharsets.UTF_8));
        }
        return ExitCodes.OK;
    }

    /** The spark engine's bench (its classes load only here, when Spark is on the class path). */
    private int sparkBench() throws IOException, PdqException {
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().getAsInt();
        String table = dev.pdq.train.spark.SparkBenchRun.run(spark.master, spark.partitions, spark.executorBatch,
                trainDirs, steps * maxBatch, frameLength.n, bits, compute.choice(), compute.library(), modes, ls,
                backprop.steps, steps, batches, backprop.alpha, out);
        System.err.println();
        System.err.println(table);
        return ExitCodes.OK;
    }
    /** Other processes compete for the cores: the table says how busy the machine was. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private FrameSet frames(int needed) throws IOException, PdqException {
        if (!trainDirs.isEmpty()) {
            Corpus c = CorpusReader.read(CorpusReader.listFiles(TrainCommand.localPaths(trainDirs)), 16000, "bench");
            FrameSet f = FrameSet.of(c.utterances(), frameLength.n);
            if (f.count() < needed) {
                throw new IOException("--train holds " + f.count() + " frames of " + frameLength.n + ", the bench needs "
                        + needed + " (--steps x --batch)");
            }
            return f;
        }
        // synthetic speech-like utterances of 1 s each (seeded), enough for one epoch of --steps steps
        int rate = 16000;
        int perUtterance = rate / frameLength.n;
        List<Utterance> list = new ArrayList<>();
        for (int i = 0; list.size() * (long) perUtterance < needed; i++) {
            list.add(new Utterance(Path.of("synthetic-" + i), 0, 1, rate, SpeechSynth.generate(1.0, rate, 1000 + i)));
        }
        return FrameSet.of(list, frameLength.n);
    }

    static String markdown(TrainingBench.Ceiling c, List<TrainingBench.Result> results, Blas blas, int threads,
                           FrameSet frames) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Training bench: %d worker(s), BLAS %s; %d frames of n = %d; batch %d;"
                        + " per configuration %d warm-up steps, then %d timed steps of the training loop (K = DCT"
                        + " start, no validation).%n%n", threads, blas.description(), frames.count(),
                frames.frameLength(), results.isEmpty() ? 0 : results.get(0).batch(),
                results.isEmpty() ? 0 : results.get(0).steps(), results.isEmpty() ? 0 : results.get(0).steps()));
        sb.append(String.format(Locale.ROOT, "gemm ceiling at the per-worker batch B_w = %d, %d worker(s) calling at"
                + " once:%n%n| shape | us/call | GFLOP/s (all workers) |%n| --- | --- | --- |%n", c.workerBatch(),
                c.workers()));
        sb.append(String.format(Locale.ROOT, "| NO,YES: Y K^T (B_w x n x k) | %.2f | %.1f |%n", c.noYes() * 1e6,
                c.gflops(c.noYes())));
        sb.append(String.format(Locale.ROOT, "| NO,NO: Psi K (B_w x k x n) | %.2f | %.1f |%n", c.noNo() * 1e6,
                c.gflops(c.noNo())));
        sb.append(String.format(Locale.ROOT, "| YES,NO: A^T B (k x n, inner B_w) | %.2f | %.1f |%n%n",
                c.yesNo() * 1e6, c.gflops(c.yesNo())));
        sb.append("| mode | L | b | s/step | frames/s | gemms/step | GFLOP/step | GFLOP/s | ceiling s/step |"
                + " share of ceiling | peak heap MiB | workspace MiB |\n| --- | --- | --- | --- | --- | --- | --- |"
                + " --- | --- | --- | --- | --- |\n");
        for (TrainingBench.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %.0f | %d | %.3f | %.1f | %.4f | %.0f%% |"
                            + " %.0f | %.1f |%n", r.mode(), r.iterations(),
                    r.backpropSteps() > 0 ? Integer.toString(r.backpropSteps()) : "-", r.secondsPerStep(),
                    r.framesPerSecond(), r.gemms().total(), r.flopsPerStep() * 1e-9, r.gflops(), r.ceilingSeconds(),
                    100 * r.shareOfCeiling(), r.peakHeapMib(), r.workspaceMib()));
        }
        sb.append('\n');
        for (TrainingBench.Result t : results) {
            if (t.mode() != GradientMode.TRUNCATED) {
                continue;
            }
            for (TrainingBench.Result f : results) {
                if (f.mode() == GradientMode.FULL && f.iterations() == t.iterations()) {
                    double ratio = t.secondsPerStep() / f.secondsPerStep();
                    sb.append(String.format(Locale.ROOT, "L = %d: truncated / full time per step = %.2f (target at"
                            + " most 0.55: %s).%n", t.iterations(), ratio, ratio <= 0.55 ? "met" : "NOT met"));
                }
            }
        }
        double worst = results.stream().mapToDouble(TrainingBench.Result::shareOfCeiling).min().orElse(Double.NaN);
        sb.append(String.format(Locale.ROOT, "Lowest share of the gemm ceiling: %.0f%% (target at least 50%%: %s).%n",
                100 * worst, worst >= 0.5 ? "met" : "NOT met"));
        return sb.toString();
    }

    static String csv(List<TrainingBench.Result> results) {
        StringBuilder sb = new StringBuilder("mode,L,b,steps,batch,seconds_per_step,frames_per_second,gemms_per_step,"
                + "gflop_per_step,gflops,ceiling_seconds_per_step,share_of_ceiling,peak_heap_mib,workspace_bytes\n");
        for (TrainingBench.Result r : results) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.6f,%.1f,%d,%.4f,%.2f,%.6f,%.4f,%.1f,%d%n", r.mode(),
                    r.iterations(), r.backpropSteps() > 0 ? Integer.toString(r.backpropSteps()) : "", r.steps(),
                    r.batch(), r.secondsPerStep(), r.framesPerSecond(), r.gemms().total(), r.flopsPerStep() * 1e-9,
                    r.gflops(), r.ceilingSeconds(), r.shareOfCeiling(), r.peakHeapMib(), Math.round(r.workspaceMib() * 1024 * 1024)));
        }
        return sb.toString();
    }
}
