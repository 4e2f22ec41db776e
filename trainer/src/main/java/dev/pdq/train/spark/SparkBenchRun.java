package dev.pdq.train.spark;

import dev.pdq.blas.BlasChoice;
import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.loop.GradientMode;
import org.apache.spark.api.java.JavaSparkContext;
import org.tinylog.Logger;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code pdq-train bench --engine spark}: {@link SparkBench} over every configuration, on its own context. */
public final class SparkBenchRun {
    private static final int RATE = 16000;

    private SparkBenchRun() {
    }

    /**
     * Measures every (batch, L, mode) and returns the report (a Markdown table); with {@code out} also writes
     * {@code spark-bench.md} and {@code spark-bench.csv} there.
     *
     * @param trainDirs Hadoop paths of WAV folders, or empty for synthetic frames generated in the partitions
     * @param needed    frames the largest configuration needs
     */
    public static String run(String master, int partitions, int executorBatch, List<String> trainDirs, int needed,
                             int n, int bits, BlasChoice backend, String library, List<GradientMode> modes,
                             List<Integer> ls, int backpropSteps, int steps, List<Integer> batches, float alpha,
                             Path out) throws IOException {
        JavaSparkContext sc = SparkContexts.start(master);
        try {
            List<UtteranceSource> sources = new ArrayList<>();
            if (trainDirs.isEmpty()) {
                sources.addAll(SparkBench.synthetic(needed, n, RATE));
            } else {
                for (String f : HadoopFiles.list(trainDirs, sc.hadoopConfiguration())) {
                    sources.add(new UtteranceSource.HadoopWav(f));
                }
            }
            int p = partitions > 0 ? partitions : sc.defaultParallelism();
            double loadBefore = load();
            List<SparkBench.Result> results = new ArrayList<>();
            String blas;
            int frames;
            try (SparkBench bench = SparkBench.open(sc, sources, p, n, bits, RATE, backend, library)) {
                blas = String.join("; ", bench.frames().executorBlas());
                frames = bench.frames().frames();
                Logger.info("spark bench: {} frames of {} in {} partitions, master {}, executors' BLAS {}", frames, n,
                        p, sc.master(), blas);
                for (int batch : batches) {
                    for (int l : ls) {
                        for (GradientMode m : modes) {
                            SparkBench.Result r = bench.measure(m, l, Math.min(backpropSteps, l), steps, batch, alpha,
                                    executorBatch);
                            Logger.info(String.format(Locale.ROOT, "%s L = %d, batch %d: %.4f s/step, %.0f frames/s,"
                                            + " %.0f%% outside gradient computation", m, l, batch, r.secondsPerStep(),
                                    r.framesPerSecond(), 100 * r.outsideShare()));
                            results.add(r);
                        }
                    }
                }
            }
            String report = String.format(Locale.ROOT, "Spark bench: Spark %s, master %s, %d partitions, %d frames of"
                            + " n = %d (%s), executors' BLAS %s; per configuration %d warm-up steps, then %d timed"
                            + " steps of the training loop (K = DCT start, no validation).%n%n", sc.version(),
                    sc.master(), p, frames, n, trainDirs.isEmpty() ? "synthetic, generated in the partitions"
                            : "from " + trainDirs, blas, steps, steps)
                    + SparkBench.markdown(results) + String.format(Locale.ROOT, "%nSystem load average (1 min; %d"
                            + " processors): %.2f at the start, %.2f at the end.%n",
                    Runtime.getRuntime().availableProcessors(), loadBefore, load());
            if (out != null) {
                Files.createDirectories(out);
                AtomicFiles.write(out.resolve("spark-bench.md"), report.getBytes(StandardCharsets.UTF_8));
                AtomicFiles.write(out.resolve("spark-bench.csv"), SparkBench.csv(results)
                        .getBytes(StandardCharsets.UTF_8));
            }
            return report;
        } finally {
            sc.stop();
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
