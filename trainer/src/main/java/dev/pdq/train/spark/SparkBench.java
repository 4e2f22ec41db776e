package dev.pdq.train.spark;

import dev.pdq.blas.BlasChoice;
import dev.pdq.operator.Dct;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.TrainState;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.loop.Validation;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the Spark engine and where a step's time goes: the real training loop ({@link Trainer} with a
 * {@link SparkStepGradient}) from K = DCT, two epochs of {@code steps} steps, the second timed, no validation (as
 * {@link dev.pdq.train.bench.TrainingBench} times the single process). The frames are generated inside the
 * partitions (synthetic speech-like utterances of one second, the single-process bench's) or read from files.
 */
public final class SparkBench implements AutoCloseable {

    /**
     * One measured configuration (the timed epoch).
     *
     * @param trainSeconds   the epoch's steps on the driver, Adam and ||K|| included
     * @param stepSeconds    the steps' gradient calls (broadcast, job, aggregation)
     * @param computeSeconds per step the busiest task's time in gradient code, summed
     * @param taskSeconds    every task's time in gradient code, summed
     */
    public record Result(String master, int partitions, int executorBatch, GradientMode mode, int iterations,
                         int backpropSteps, int batch, int steps, double trainSeconds, double stepSeconds,
                         double computeSeconds, double taskSeconds) {
        public double secondsPerStep() {
            return trainSeconds / steps;
        }

        public double framesPerSecond() {
            return (double) steps * batch / trainSeconds;
        }

        /** The share of a step not spent in gradient code on the busiest partition. */
        public double outsideShare() {
            return 1 - computeSeconds / trainSeconds;
        }

        /** Per step: the driver's own work (||K||, Adam, loop), s. */
        public double driverPerStep() {
            return (trainSeconds - stepSeconds) / steps;
        }

        /** Per step: Spark's part (broadcast, scheduling, serialization, aggregation, waiting), s. */
        public double sparkPerStep() {
            return (stepSeconds - computeSeconds) / steps;
        }

        public double computePerStep() {
            return computeSeconds / steps;
        }
    }

    private final JavaSparkContext sc;
    private final DistributedFrames frames;
    private final int n;
    private final int bits;
    private final BlasChoice backend;
    private final String library;

    private SparkBench(JavaSparkContext sc, DistributedFrames frames, int n, int bits, BlasChoice backend,
                       String library) {
        this.sc = sc;
        this.frames = frames;
        this.n = n;
        this.bits = bits;
        this.backend = backend;
        this.library = library;
    }

    /** Reads (or generates) the frames into {@code partitions} cached partitions, once for every configuration. */
    public static SparkBench open(JavaSparkContext sc, List<UtteranceSource> sources, int partitions, int n, int bits,
                                  int rate, BlasChoice backend, String library) throws IOException {
        ExecutorSpec any = new ExecutorSpec(GradientMode.TRUNCATED, 1, 1, 1f, n, n, bits, Scheme.UNIFORM, 0, 1, backend,
                library, dev.pdq.train.grad.LossSpec.MSE, rate);
        return new SparkBench(sc, DistributedFrames.load(sc, sources, partitions, n, rate, any, "bench"), n, bits,
                backend, library);
    }

    /** The frames the partitions hold. */
    public DistributedFrames frames() {
        return frames;
    }

    @Override
    public void close() {
        frames.close();
    }

    /** The one-second synthetic utterances the single-process bench uses, enough for {@code frames} frames. */
    public static List<UtteranceSource> synthetic(int frames, int n, int rate) {
        List<UtteranceSource> list = new ArrayList<>();
        int perUtterance = rate / n;
        for (int i = 0; (long) list.size() * perUtterance < frames; i++) {
            list.add(new UtteranceSource.Synthetic(1.0, rate, 1000 + i));
        }
        return list;
    }

    /**
     * Times one configuration.
     *
     * @param executorBatch frames per gradient call on an executor, 0 for min(batch, 128)
     * @throws IllegalArgumentException if the frames hold fewer than steps * batch
     */
    public Result measure(GradientMode mode, int iterations, int backpropSteps, int steps, int batch, float alpha,
                          int executorBatch) throws IOException {
        TrainConfig cfg = TrainConfig.builder().mode(mode).iterations(iterations).backpropSteps(backpropSteps)
                .alpha(alpha).epochs(2).batch(batch).learningRate(1e-5, 1e-8).seed(1).stepsPerEpoch(steps).bits(bits)
                .level(Level.peak()).build();
        int chunk = executorBatch > 0 ? executorBatch : Math.min(batch, SparkTraining.DEFAULT_EXECUTOR_BATCH);
        ExecutorSpec spec = ExecutorSpec.of(cfg, n, n, new Quantizer(bits).halfWidth(), chunk, backend, library);
        TrainState state = new TrainState(Dct.orthonormalDct2(n), n, n);
        SparkStepGradient.Timing[] afterWarmUp = new SparkStepGradient.Timing[1];
        SparkStepGradient.Timing end;
        try (SparkStepGradient gradient = new SparkStepGradient(sc, frames, spec, 2, null)) {
            if ((long) steps * batch > frames.frames()) {
                throw new IllegalArgumentException("bench: " + steps + " steps of " + batch + " frames need "
                        + (long) steps * batch + " frames, the data has " + frames.frames());
            }
            Validation.Validator none = k -> new Validation(0, 0, 0, 0);
            Trainer.EpochSink sink = s -> {
                if (s.epochsDone() == 1) {
                    afterWarmUp[0] = gradient.timing();
                }
            };
            new Trainer(cfg, gradient, none, sink, Progress.create(Progress.Mode.NONE)).run(state);
            end = gradient.timing();
        }
        EpochRecord timed = state.log().get(2);
        SparkStepGradient.Timing w = afterWarmUp[0];
        return new Result(sc.master(), frames.partitions(), chunk, mode, iterations,
                mode == GradientMode.FULL ? 0 : backpropSteps, batch, steps, timed.trainSeconds(),
                end.stepSeconds() - w.stepSeconds(), end.computeSeconds() - w.computeSeconds(),
                end.taskSeconds() - w.taskSeconds());
    }

    /** The Markdown table of results. */
    public static String markdown(List<Result> results) {
        StringBuilder sb = new StringBuilder("| master | partitions | mode | L | b | batch | executor batch | s/step |"
                + " frames/s | gradient (busiest task) s/step | Spark s/step | driver s/step | outside gradient |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %d | %d | %.4f | %.0f | %.4f | %.4f |"
                            + " %.4f | %.0f%% |%n", r.master(), r.partitions(), r.mode(), r.iterations(),
                    r.backpropSteps() > 0 ? Integer.toString(r.backpropSteps()) : "-", r.batch(), r.executorBatch(),
                    r.secondsPerStep(), r.framesPerSecond(), r.computePerStep(), r.sparkPerStep(),
                    r.driverPerStep(), 100 * r.outsideShare()));
        }
        return sb.toString();
    }

    /** The CSV of results. */
    public static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder("master,partitions,executor_batch,mode,L,b,batch,steps,seconds_per_step,"
                + "frames_per_second,gradient_seconds_per_step,spark_seconds_per_step,driver_seconds_per_step,"
                + "task_seconds_per_step,outside_gradient_share\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%s,%d,%d,%.6f,%.1f,%.6f,%.6f,%.6f,%.6f,%.4f%n",
                    r.master(), r.partitions(), r.executorBatch(), r.mode(), r.iterations(),
                    r.backpropSteps() > 0 ? Integer.toString(r.backpropSteps()) : "", r.batch(), r.steps(),
                    r.secondsPerStep(), r.framesPerSecond(), r.computePerStep(), r.sparkPerStep(),
                    r.driverPerStep(), r.taskSeconds() / r.steps(), r.outsideShare()));
        }
        return sb.toString();
    }
}
