package dev.pdq.train.loop;

import dev.pdq.blas.Blas;
import dev.pdq.solver.PrimalDual;
import dev.pdq.train.corpus.GridSegments;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.grad.FullBackprop;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.grad.GridAveragedGradient;
import dev.pdq.train.grad.LossSpec;
import dev.pdq.train.grad.ParallelGradient;
import dev.pdq.train.grad.TruncatedBackprop;

/** Builds the gradient method a configuration asks for, split over worker threads. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The batch of {@code cfg.batch()} frames split over {@code threads} workers, each with its own full or truncated
     * backpropagation on {@code blas} (with a native BLAS, configure it with one thread when threads > 1), with the
     * plain squared error.
     *
     * @param r the quantizer's half width (alpha = r when the configuration says so)
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, int n, int k, int threads, float r) {
        return create(blas, cfg, n, k, threads, r, LossSpec.MSE, 0);
    }

    /**
     * The same seeded by {@code loss}: every worker builds its own (a loss may hold workspace).
     *
     * @param sampleRate the frames' sample rate (the weighting filter's LPC order depends on it)
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, int n, int k, int threads, float r,
                                        LossSpec loss, int sampleRate) {
        float alpha = cfg.alphaFor(r);
        int workers = Math.max(1, Math.min(threads, cfg.batch()));
        return ParallelGradient.of(workers, cfg.batch(), per -> cfg.mode() == GradientMode.FULL
                ? new FullBackprop(blas, n, k, per, cfg.iterations(), alpha, loss.create(n, sampleRate))
                : new TruncatedBackprop(blas, n, k, per, cfg.iterations(), cfg.backpropSteps(), alpha,
                        loss.create(n, sampleRate)));
    }

    /**
     * {@link #create(Blas, TrainConfig, int, int, int, float)}, through the averaged output of shifted grids when
     * the examples are {@link GridSegments}.
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, TrainingExamples examples, int n, int k,
                                        int threads, float r) {
        return create(blas, cfg, examples, n, k, threads, r, LossSpec.MSE, 0);
    }

    /**
     * The same seeded by {@code loss}. Through shifted grids the loss is that of the averaged output and the
     * per-frame workers keep the squared error (they fit {@link GridAveragedGradient}'s pseudo-targets).
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, TrainingExamples examples, int n, int k,
                                        int threads, float r, LossSpec loss, int sampleRate) {
        if (!(examples instanceof GridSegments segments)) {
            return create(blas, cfg, n, k, threads, r, loss, sampleRate);
        }
        GradientMethod plain = create(blas, cfg, n, k, threads, r, LossSpec.MSE, sampleRate);
        PrimalDual forward = new PrimalDual(blas, n, k, cfg.batch(), 1f, Trainer.STEP_RATIO);
        return new GridAveragedGradient(plain, forward, segments, loss.create(n, sampleRate));
    }
}
