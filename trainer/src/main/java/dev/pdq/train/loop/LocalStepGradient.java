package dev.pdq.train.loop;

import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.grad.GradientMethod;

/**
 * The single-process engine: the frames in this process's memory, the gradient computed by one {@link
 * GradientMethod} (typically a {@link dev.pdq.train.grad.ParallelGradient} over the machine's cores). Closing it
 * closes the gradient method. Not thread-safe.
 */
public final class LocalStepGradient implements StepGradient {
    private final FrameSet frames;
    private final GradientMethod gradient;
    private final Quantizer quantizer;
    private final float[] clean;
    private final float[] quant;
    private int[] order;
    private float[] gains;

    /** @param quantizer the training quantizer (its half width is the box radius r) */
    public LocalStepGradient(FrameSet frames, GradientMethod gradient, Quantizer quantizer) {
        if (gradient.frameLength() != frames.frameLength()) {
            throw new IllegalArgumentException("gradient frame length " + gradient.frameLength() + " != frames' "
                    + frames.frameLength());
        }
        this.frames = frames;
        this.gradient = gradient;
        this.quantizer = quantizer;
        this.clean = new float[gradient.maxBatch() * frames.frameLength()];
        this.quant = new float[clean.length];
    }

    @Override
    public int frameCount() {
        return frames.count();
    }

    @Override
    public int utterances() {
        return frames.utterances();
    }

    @Override
    public int frameLength() {
        return frames.frameLength();
    }

    @Override
    public int coefficients() {
        return gradient.coefficients();
    }

    @Override
    public int iterations() {
        return gradient.iterations();
    }

    @Override
    public int maxBatch() {
        return gradient.maxBatch();
    }

    @Override
    public void startEpoch(int epoch, int[] order, float[] gains) {
        this.order = order;
        this.gains = gains;
    }

    @Override
    public double lossAndGradient(float[] k, float sigma, float tau, int from, int size, float[] gradOut) {
        if (order == null) {
            throw new IllegalStateException("LocalStepGradient: startEpoch was not called");
        }
        frames.gather(order, from, size, gains, quantizer, clean, quant);
        gradient.setOperator(k);
        gradient.setSteps(sigma, tau);
        return gradient.lossAndGradient(quant, clean, 0, size, quantizer.halfWidth(), gradOut);
    }

    @Override
    public long workspaceBytes() {
        return gradient.workspaceBytes();
    }

    @Override
    public String describe() {
        int workers = gradient instanceof dev.pdq.train.grad.ParallelGradient p ? p.workers() : 1;
        return "single process, " + workers + " gradient worker thread" + (workers == 1 ? "" : "s");
    }

    @Override
    public void close() {
        gradient.close();
    }
}
