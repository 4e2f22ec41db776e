package dev.pdq.train.loop;

import dev.pdq.blas.Blas;
import dev.pdq.solver.PrimalDual;
import dev.pdq.train.corpus.GridSegments;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.grad.FullBackprop;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.grad.GridAveragedGradient;
import dev.pdq.train.grad.ParallelGradient;
import dev.pdq.train.grad.TruncatedBackprop;

/** Builds the gradient method a configuration asks for, split over worker threads. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The batch of {@code cfg.batch()} frames split over {@code threads} workers, each with its own full or truncated
     * backpropagation on {@code blas} (with a native BLAS, configure it with one thread when threads > 1).
     *
     * @param r the quantizer's half width (alpha = r when the configuration says so)
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, int n, int k, int threads, float r) {
        float alpha = cfg.alphaFor(r);
        int workers = Math.max(1, Math.min(threads, cfg.batch()));
        return ParallelGradient.of(workers, cfg.batch(), per -> cfg.mode() == GradientMode.FULL
                ? new FullBackprop(blas, n, k, per, cfg.iterations(), alpha)
                : new TruncatedBackprop(blas, n, k, per, cfg.iterations(), cfg.backpropSteps(), alpha));
    }

    /**
     * {@link #create(Blas, TrainConfig, int, int, int, float)}, through the averaged output of shifted grids when
     * the examples are {@link GridSegments}.
     */
    public static GradientMethod create(Blas blas, TrainConfig cfg, TrainingExamples examples, int n, int k,
                                        int threads, float r) {
        GradientMethod plain = create(blas, cfg, n, k, threads, r);
        if (!(examples instanceof GridSegments segments)) {
            return plain;
        }
        PrimalDual forward = new PrimalDual(blas, n, k, cfg.batch(), 1f, Trainer.STEP_RATIO);
        return new GridAveragedGradient(plain, forward, segments);
    }
}
