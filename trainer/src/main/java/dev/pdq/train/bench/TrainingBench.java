package dev.pdq.train.bench;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasCeiling;
import dev.pdq.blas.Transpose;
import dev.pdq.operator.Dct;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.eval.Workers;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Gradients;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.TrainState;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.loop.Validation;

import java.io.IOException;
import java.util.List;

/**
 * Training throughput against the raw gemm ceiling, measured in the same process.
 *
 * <p>A configuration runs the real training loop ({@link Trainer}: norm estimate, gather and quantize, forward,
 * backward, Adam) from K = DCT for two epochs of {@code steps} steps each; the first warms up (JIT, caches), the
 * second is timed (its {@link EpochRecord}: training seconds, frames per second, peak heap). Validation is
 * skipped (a validator that scores nothing): only training steps are measured.
 *
 * <p>The ceiling: the three gemm shapes of a step ({@link GemmCounts}) at the per-worker batch, each timed by
 * {@link BlasCeiling} on all W workers at once (as training runs them); the ceiling time of a step is the sum over
 * its calls of the per-call time of their shape.
 */
public final class TrainingBench {

    /** Per-call seconds of each shape at the per-worker batch, all W workers calling at once. */
    public record Ceiling(int workers, int workerBatch, double noYes, double noNo, double yesNo, int n) {
        /** Seconds a step of these gemm counts takes at the ceiling. */
        public double seconds(GemmCounts c) {
            return c.noYes() * noYes + c.noNo() * noNo + c.yesNo() * yesNo;
        }

        /** GFLOP/s of all workers together at a shape's per-call time. */
        public double gflops(double secondsPerCall) {
            return workers * 2.0 * workerBatch * n * n / secondsPerCall * 1e-9;
        }
    }

    /** One measured configuration. */
    public record Result(GradientMode mode, int iterations, int backpropSteps, int steps, int batch,
                         double seconds, double framesPerSecond, double peakHeapMib, double workspaceMib,
                         GemmCounts gemms, double ceilingSeconds, double flopsPerStep) {
        public double secondsPerStep() {
            return seconds / steps;
        }

        /** Ceiling time / measured time of a step. */
        public double shareOfCeiling() {
            return ceilingSeconds / secondsPerStep();
        }

        public double gflops() {
            return flopsPerStep / secondsPerStep() * 1e-9;
        }
    }

    private final Blas blas;
    private final int threads;
    private final FrameSet frames;
    private final int bits;

    /** @param threads gradient workers (a native {@code blas} should then run one thread per call) */
    public TrainingBench(Blas blas, int threads, FrameSet frames, int bits) {
        this.blas = blas;
        this.threads = threads;
        this.frames = frames;
        this.bits = bits;
    }

    /** The ceiling at the per-worker batch of a batch of {@code batch} frames, {@code nanos} per shape. */
    public Ceiling ceiling(int batch, long nanos) {
        int workers = Math.max(1, Math.min(threads, batch));
        int per = (batch + workers - 1) / workers;
        int n = frames.frameLength();
        double[][] t = new double[3][];
        t[0] = concurrent(workers, () -> BlasCeiling.gemm(blas, Transpose.YES, per, n, nanos).secondsPerCall());
        t[1] = concurrent(workers, () -> BlasCeiling.gemm(blas, Transpose.NO, per, n, nanos).secondsPerCall());
        t[2] = concurrent(workers, () -> BlasCeiling.gemmOuter(blas, per, n, nanos).secondsPerCall());
        return new Ceiling(workers, per, mean(t[0]), mean(t[1]), mean(t[2]), n);
    }

    private interface Timing {
        double seconds();
    }

    private static double[] concurrent(int workers, Timing timing) {
        List<Double> out = Workers.run(workers, w -> timing.seconds());
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /**
     * Times one configuration: two epochs of {@code steps} steps from K = DCT, the second timed.
     *
     * @throws IllegalArgumentException if the frames hold fewer than steps * batch frames
     */
    public Result measure(GradientMode mode, int iterations, int backpropSteps, int steps, int batch, float alpha,
                          Ceiling ceiling) throws IOException {
        if ((long) steps * batch > frames.count()) {
            throw new IllegalArgumentException("bench: " + steps + " steps of " + batch + " frames need "
                    + (long) steps * batch + " frames, the data has " + frames.count());
        }
        int n = frames.frameLength();
        TrainConfig cfg = TrainConfig.builder().mode(mode).iterations(iterations).backpropSteps(backpropSteps)
                .alpha(alpha).epochs(2).batch(batch).learningRate(1e-5, 1e-8).seed(1).stepsPerEpoch(steps).bits(bits)
                .level(dev.pdq.train.corpus.Level.peak()).build();
        float r = new Quantizer(bits).halfWidth();
        TrainState state = new TrainState(Dct.orthonormalDct2(n), n, n);
        System.gc(); // the previous configuration's garbage out of the heap peaks
        double workspace;
        try (GradientMethod gradient = Gradients.create(blas, cfg, n, n, threads, r)) {
            workspace = gradient.workspaceBytes() / (1024.0 * 1024.0);
            // validation is not what is measured: score nothing
            Validation.Validator none = k -> new Validation(0, 0, 0, 0);
            new Trainer(cfg, frames, gradient, none, s -> { }, Progress.create(Progress.Mode.NONE)).run(state);
        }
        EpochRecord timed = state.log().get(2);
        GemmCounts gemms = GemmCounts.of(mode, iterations, backpropSteps);
        // each worker's calls have 2 * B_w * n * n flops; over the workers: 2 * B * n * n per call of the step
        double flops = gemms.total() * 2.0 * batch * n * n;
        return new Result(mode, iterations, mode == GradientMode.FULL ? 0 : backpropSteps, steps, batch,
                timed.trainSeconds(), timed.framesPerSecond(), timed.peakHeapMib(), workspace, gemms,
                ceiling.seconds(gemms), flops);
    }
}
