package dev.pdq.train.spark;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.run.RunRefusedException;
import dev.pdq.train.run.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.tinylog.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pdq-train train --engine spark}: lists the files on their Hadoop file system, spreads the training files
 * over the cluster ({@link DistributedFrames}), reads the validation files on the driver, and runs the trainer's
 * shared core ({@link TrainingRun#train}) with a {@link SparkStepGradient}, writing the run folder to a {@link
 * HadoopFolder}.
 */
public final class SparkTraining {
    /** The executor batch when none is given: a partition's share is computed in chunks of at most this. */
    public static final int DEFAULT_EXECUTOR_BATCH = 128;

    private SparkTraining() {
    }

    /**
     * The data folders, as Hadoop paths (URIs; a path without scheme is on the default file system).
     *
     * @param data with {@code data} non-empty, split by file at random instead of train/valid/test
     */
    public record Folders(List<String> train, List<String> valid, List<String> test, List<String> data,
                          double validFraction, double testFraction, long splitSeed) {
    }

    /**
     * How to use the cluster.
     *
     * @param master        Spark master URL, or null for spark-submit's (else local[*])
     * @param partitions    partitions of the training files, 0 for the context's default parallelism
     * @param executorBatch frames per gradient call on an executor, 0 for min(batch, 128)
     * @param treeDepth     depth of the treeAggregate of the gradients
     */
    public record Cluster(String master, int partitions, int executorBatch, int treeDepth) {
    }

    /**
     * One run.
     *
     * @param out     the run folder, a Hadoop path
     * @param backend the executors' BLAS choice; {@code library} their OpenBLAS (null: looked up)
     * @param hook    called at the start of every gradient task (tests), or null
     */
    public record Request(TrainingRun.Recipe recipe, Folders folders, String out, Cluster cluster,
                          BlasChoice backend, String library, TaskHook hook) {
    }

    /** Starts a context for the request's master, trains, stops the context. */
    public static TrainingRun.Result run(Request request, Blas driverBlas, int threads, Progress progress)
            throws IOException {
        JavaSparkContext sc = SparkContexts.start(request.cluster().master());
        try {
            return run(sc, request, driverBlas, threads, progress);
        } finally {
            sc.stop();
        }
    }

    /**
     * Trains on a running context (tests share one).
     *
     * @param driverBlas the driver's backend, for validation with {@code threads} workers
     */
    public static TrainingRun.Result run(JavaSparkContext sc, Request request, Blas driverBlas, int threads,
                                         Progress progress) throws IOException {
        TrainingRun.Recipe recipe = request.recipe();
        TrainConfig cfg = recipe.cfg();
        if (cfg.trainGrids() > 1) {
            throw new IllegalArgumentException("the Spark engine trains the plain per-frame loss: a step through the"
                    + " averaged output of " + cfg.trainGrids() + " shifted grids is one segment, which one"
                    + " executor would compute alone (use --engine single)");
        }
        Configuration conf = sc.hadoopConfiguration();
        HadoopFolder folder = new HadoopFolder(request.out(), conf);
        TrainingRun.checkFolder(folder, recipe.resume());
        Split<String> split = split(request.folders(), conf);

        int n = recipe.initial().n();
        int k = recipe.initial().k();
        int rate = recipe.initial().sampleRate();
        Cluster cluster = request.cluster();
        int partitions = cluster.partitions() > 0 ? cluster.partitions() : sc.defaultParallelism();
        int chunk = cluster.executorBatch() > 0 ? cluster.executorBatch()
                : Math.min(cfg.batch(), DEFAULT_EXECUTOR_BATCH);
        ExecutorSpec spec = ExecutorSpec.of(cfg, n, k, new Quantizer(cfg.bits()).halfWidth(), chunk,
                request.backend(), request.library(), cfg.loss(), rate);
        HadoopFiles.Read valid = HadoopFiles.read(split.valid(), conf, rate, "validation");
        List<UtteranceSource> sources = new ArrayList<>();
        for (String f : split.train()) {
            sources.add(new UtteranceSource.HadoopWav(f));
        }
        Logger.info("spark: reading {} training files into {} partitions (master {})", sources.size(), partitions,
                sc.master());
        try (DistributedFrames frames = DistributedFrames.load(sc, sources, partitions, n, rate, spec, "training");
             SparkStepGradient gradient = new SparkStepGradient(sc, frames, spec, cluster.treeDepth(),
                     request.hook())) {
            if (frames.frames() == 0) {
                throw new IOException("the training files hold no whole frame of " + n + " samples");
            }
            List<String> used = new ArrayList<>();
            int skipped = 0;
            for (SourceReport r : frames.reports()) {
                if (r.problem() == null) {
                    used.add(r.name());
                } else {
                    skipped++;
                }
            }
            TrainingRun.Data data = new TrainingRun.Data(used, skipped, TrainingRun.listId(used),
                    frames.utterances(), valid.files(), valid.skipped(), TrainingRun.listId(valid.files()),
                    valid.utterances(), split.test(), frames.frames());
            TrainingRun.Result result = TrainingRun.train(recipe, folder, data, gradient, driverBlas, threads,
                    progress);
            SparkStepGradient.Timing t = gradient.timing();
            if (t.steps() > 0) {
                Logger.info(String.format(java.util.Locale.ROOT, "spark: %d steps, %d frames in %.1f s of steps"
                                + " (%.0f frames/s); the busiest partition computed %.1f s of it: %.0f%% of a step"
                                + " is outside gradient computation", t.steps(), t.frames(), t.stepSeconds(),
                        t.frames() / t.stepSeconds(), t.computeSeconds(), 100 * t.overheadShare()));
            }
            return result;
        }
    }

    private static Split<String> split(Folders f, Configuration conf) throws IOException {
        if (!f.data().isEmpty()) {
            try {
                return Split.byFile(HadoopFiles.list(f.data(), conf), f.validFraction(), f.testFraction(),
                        f.splitSeed());
            } catch (IllegalArgumentException e) {
                throw new RunRefusedException(e.getMessage());
            }
        }
        return new Split<>(HadoopFiles.list(f.train(), conf), HadoopFiles.list(f.valid(), conf),
                f.test().isEmpty() ? List.of() : HadoopFiles.list(f.test(), conf));
    }
}
