package dev.pdq.train.spark;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.operator.NodeQuantizers;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.train.grad.FullBackprop;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.grad.LossSpec;
import dev.pdq.train.grad.TruncatedBackprop;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.TrainConfig;

import java.io.Serializable;

/**
 * How an executor computes gradients: the backpropagation of the run and the backend, shipped with every task.
 *
 * @param alpha      the primal mask threshold as used (r already resolved)
 * @param chunk      frames one gradient call takes: a partition's share of a step is computed in chunks of at most
 *                   this many frames (bounds the executor's workspace whatever the step size)
 * @param backend    auto (native where OpenBLAS loads on the executor, else the Java backend), native or java
 * @param library    the OpenBLAS library to load on the executors, or null to look it up
 * @param loss       the training loss (every worker builds its own)
 * @param sampleRate the frames' sample rate, for the loss (the weighting filter's LPC order)
 */
public record ExecutorSpec(GradientMode mode, int iterations, int backpropSteps, float alpha, int n, int k, int bits,
                           Scheme scheme, int gainBlock, int chunk, BlasChoice backend, String library,
                           LossSpec loss, int sampleRate)
        implements Serializable {

    public ExecutorSpec {
        if (chunk < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("executor batch " + chunk + ", n " + n + ", k " + k
                    + " must be at least 1");
        }
        if (loss == null) {
            throw new IllegalArgumentException("executor spec without a loss");
        }
    }

    /** The spec of a run's configuration, with the plain squared error. */
    public static ExecutorSpec of(TrainConfig cfg, int n, int k, float r, int chunk, BlasChoice backend,
                                  String library) {
        return of(cfg, n, k, r, chunk, backend, library, LossSpec.MSE, 0);
    }

    /** The spec of a run's configuration and loss. */
    public static ExecutorSpec of(TrainConfig cfg, int n, int k, float r, int chunk, BlasChoice backend,
                                  String library, LossSpec loss, int sampleRate) {
        return new ExecutorSpec(cfg.mode(), cfg.iterations(), cfg.backpropSteps(), cfg.alphaFor(r), n, k, cfg.bits(),
                cfg.scheme(), cfg.gainBlock(), chunk, backend, library, loss, sampleRate);
    }

    /** The executor's backend: one BLAS thread per call, since Spark runs one task per core. */
    public Blas blas() {
        BlasOptions options = BlasOptions.DEFAULT.withThreads(1);
        return Blases.select(backend, library == null ? options : options.withLibraryPath(library));
    }

    /** The node's quantizer the training frames go through. */
    NodeQuantizer nodeQuantizer() {
        return NodeQuantizers.of(scheme, bits, gainBlock);
    }

    /** A new gradient method for chunks of at most {@link #chunk} frames. */
    GradientMethod newGradient() {
        Blas blas = blas();
        return mode == GradientMode.FULL
                ? new FullBackprop(blas, n, k, chunk, iterations, alpha, loss.create(n, sampleRate))
                : new TruncatedBackprop(blas, n, k, chunk, iterations, backpropSteps, alpha,
                        loss.create(n, sampleRate));
    }
}
