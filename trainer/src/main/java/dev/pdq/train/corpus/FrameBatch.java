package dev.pdq.train.corpus;

/**
 * The frames of one training step as the solver takes them, row-major, n samples a frame: the clean targets, and
 * what the decoder knows of each sample (its value x and its cell [x + below, x + above], see
 * {@link dev.pdq.quant.NodeQuantizer}). Allocated once per worker and filled by
 * {@link TrainingExamples#gather}.
 */
public final class FrameBatch {
    public final float[] clean;
    public final float[] x;
    public final float[] below;
    public final float[] above;

    /** Room for {@code frames} frames of n samples. */
    public FrameBatch(int frames, int n) {
        int len = Math.multiplyExact(frames, n);
        clean = new float[len];
        x = new float[len];
        below = new float[len];
        above = new float[len];
    }

    /** Frames of n samples this batch has room for. */
    public int capacity(int n) {
        return clean.length / n;
    }
}
