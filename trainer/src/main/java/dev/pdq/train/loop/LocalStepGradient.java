package dev.pdq.train.loop;

import dev.pdq.quant.NodeQuantizer;
import dev.pdq.train.corpus.FrameBatch;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.grad.GradientMethod;

/**
 * The single-process engine: the examples in this process's memory, the gradient computed by one {@link
 * GradientMethod} (typically a {@link dev.pdq.train.grad.ParallelGradient} over the machine's cores, or a {@link
 * dev.pdq.train.grad.GridAveragedGradient} around one). Closing it closes the gradient method. Not thread-safe.
 */
public final class LocalStepGradient implements StepGradient {
    private final TrainingExamples frames;
    private final GradientMethod gradient;
    private final NodeQuantizer quantizer;
    private final FrameBatch batch;
    private int[] order;
    private float[] gains;
    private int[] shifts;

    /** @param quantizer the node's quantizer the training frames go through */
    public LocalStepGradient(TrainingExamples frames, GradientMethod gradient, NodeQuantizer quantizer) {
        if (gradient.frameLength() != frames.frameLength()) {
            throw new IllegalArgumentException("gradient frame length " + gradient.frameLength() + " != frames' "
                    + frames.frameLength());
        }
        this.frames = frames;
        this.gradient = gradient;
        this.quantizer = quantizer;
        this.batch = new FrameBatch(gradient.maxBatch(), frames.frameLength());
    }

    @Override
    public int exampleCount() {
        return frames.count();
    }

    @Override
    public int framesPerExample() {
        return frames.framesPerExample();
    }

    @Override
    public int lossFramesPerExample() {
        return frames.lossFramesPerExample();
    }

    @Override
    public int[] corpusOfExamples() {
        return frames.corpusOfExamples();
    }

    @Override
    public int[] shifts(long seed, int epoch) {
        return frames.shifts(seed, epoch);
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
    public void startEpoch(int epoch, int[] order, float[] gains, int[] shifts) {
        this.order = order;
        this.gains = gains;
        this.shifts = shifts;
    }

    @Override
    public double lossAndGradient(float[] k, float sigma, float tau, int from, int size, float[] gradOut) {
        if (order == null) {
            throw new IllegalStateException("LocalStepGradient: startEpoch was not called");
        }
        frames.gather(order, from, size, gains, shifts, quantizer, batch);
        gradient.setOperator(k, sigma, tau);
        return gradient.lossAndGradient(batch.x, batch.below, batch.above, batch.clean, 0,
                size * frames.framesPerExample(), quantizer.nominalHalfWidth(), gradOut);
    }

    @Override
    public long workspaceBytes() {
        return gradient.workspaceBytes();
    }

    @Override
    public String describe() {
        int workers = gradient instanceof dev.pdq.train.grad.ParallelGradient p ? p.workers() : 1;
        return "single process" + (gradient instanceof dev.pdq.train.grad.GridAveragedGradient
                ? " (loss through the averaged output of shifted grids)" : ", " + workers + " gradient worker thread"
                + (workers == 1 ? "" : "s"));
    }

    @Override
    public void close() {
        gradient.close();
    }
}
