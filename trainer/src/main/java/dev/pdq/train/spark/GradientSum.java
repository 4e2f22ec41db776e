package dev.pdq.train.spark;

import java.io.Serializable;

/**
 * The treeAggregate value of a step: the summed loss and gradient of the frames computed so far, with the number of
 * frames and the time spent in gradient code.
 *
 * <p>A partition's own gradient travels as the floats it computed; partials are added in double and rounded to float
 * once, at the end ({@link #copyTo}). Spark combines task results in the order the tasks finish, so the sum must
 * not depend on the order: a double sum of float partials is exact (hence order-independent) as long as their
 * exponents span less than about 29 - log2(partitions) binades, and where it is not exact the one rounding to float
 * practically never differs. The empty value (the zero of the aggregation, and what a partition holding none of the
 * step's frames returns) carries no array, so it costs nothing to ship.
 *
 * <p>Mutable: {@link #add} and {@link #merge} change and return this object, as Spark allows of an aggregation's
 * operators.
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private double loss;
    private int frames;
    /** The gradient of exactly one partition, as it computed it; null otherwise. */
    private float[] single;
    /** The sum of two or more partitions' gradients; null otherwise. */
    private double[] sum;
    private long computeNanosMax;
    private long computeNanosSum;
    private int tasks;

    /** The empty sum: no frames, no gradient. */
    public static GradientSum empty() {
        return new GradientSum();
    }

    /** Adds one partition's result: {@code frames} frames of loss and summed gradient {@code grad} (kept, not copied). */
    public GradientSum add(double partLoss, int partFrames, float[] grad, long computeNanos) {
        GradientSum part = new GradientSum();
        part.loss = partLoss;
        part.frames = partFrames;
        part.single = grad;
        part.computeNanosMax = computeNanos;
        part.computeNanosSum = computeNanos;
        part.tasks = 1;
        return merge(part);
    }

    /** Records a task that held none of the step's frames. */
    public GradientSum addIdle(long computeNanos) {
        GradientSum part = new GradientSum();
        part.computeNanosMax = computeNanos;
        part.computeNanosSum = computeNanos;
        part.tasks = 1;
        return merge(part);
    }

    /** Adds another sum into this one (order-independent, see the class comment). Modifies and returns this. */
    public GradientSum merge(GradientSum o) {
        computeNanosMax = Math.max(computeNanosMax, o.computeNanosMax);
        computeNanosSum += o.computeNanosSum;
        tasks += o.tasks;
        if (!o.hasGradient()) {
            return this;
        }
        loss += o.loss;
        frames += o.frames;
        if (!hasGradient()) {
            single = o.single;
            sum = o.sum;
            return this;
        }
        double[] d = sum != null ? sum : widen(single);
        if (o.single != null) {
            float[] g = o.single;
            for (int i = 0; i < d.length; i++) {
                d[i] += g[i];
            }
        } else {
            double[] g = o.sum;
            for (int i = 0; i < d.length; i++) {
                d[i] += g[i];
            }
        }
        sum = d;
        single = null;
        return this;
    }

    private boolean hasGradient() {
        return single != null || sum != null;
    }

    private static double[] widen(float[] g) {
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            d[i] = g[i];
        }
        return d;
    }

    /** Writes the summed gradient, rounded to float, into {@code out[0 .. length)} (zeros when there is none). */
    public void copyTo(float[] out) {
        if (single != null) {
            System.arraycopy(single, 0, out, 0, single.length);
        } else if (sum != null) {
            for (int i = 0; i < sum.length; i++) {
                out[i] = (float) sum[i];
            }
        } else {
            java.util.Arrays.fill(out, 0f);
        }
    }

    /** The summed loss 0.5 * sum ||y^L - s||^2. */
    public double loss() {
        return loss;
    }

    /** Frames computed. */
    public int frames() {
        return frames;
    }

    /** The longest time one task spent in gradient code (the step's critical path of computing), ns. */
    public long computeNanosMax() {
        return computeNanosMax;
    }

    /** The time all tasks together spent in gradient code, ns. */
    public long computeNanosSum() {
        return computeNanosSum;
    }

    /** Tasks that reported (partitions, including those that held none of the step's frames). */
    public int tasks() {
        return tasks;
    }
}
