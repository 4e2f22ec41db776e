package dev.pdq.train.grad;

import dev.pdq.solver.PrimalDual;
import dev.pdq.train.corpus.GridSegments;

import java.util.Arrays;

/**
 * The loss through the averaged output of S shifted grids and its gradient: for an example of
 * {@link GridSegments} (a segment of M frames and the shifted frames covering it),
 *
 * <pre>
 *   a(t) = (1/S) sum over the S frames f covering sample t of y^L_f(t)     (what the runtime's --shifts S outputs)
 *   l    = 0.5 sum_t (a(t) - s(t))^2                                      over the segment's M n samples
 * </pre>
 *
 * dl/dy^L_f(t) = (a(t) - s(t)) / S on the segment, 0 outside, so dl/dK is the inner method's gradient of
 * 0.5 sum_f ||y^L_f - q_f||^2 at the pseudo-targets q_f = y^L_f - dl/dy^L_f, held constant. y^L comes from a forward
 * solve before the inner call (the inner method repeats it: the forward is the price of reusing its backward pass
 * unchanged). Batches are whole examples, grid by grid ({@link GridSegments#frameStart}).
 */
public final class GridAveragedGradient implements GradientMethod {
    private final GradientMethod inner;
    private final PrimalDual forward;
    private final GridSegments layout;
    private final int n;
    private final int per;
    private final float[] y;
    private final float[] x;
    private final float[] below;
    private final float[] above;
    private final float[] targets;
    private final double[] sum;

    /** @param forward a solver of inner's n, k and at least inner's batch, used for y^L only */
    public GridAveragedGradient(GradientMethod inner, PrimalDual forward, GridSegments layout) {
        this.inner = inner;
        this.forward = forward;
        this.layout = layout;
        this.n = inner.frameLength();
        this.per = layout.framesPerExample();
        if (layout.frameLength() != n || forward.frameLength() != n || forward.coefficients() != inner.coefficients()
                || forward.maxBatch() < inner.maxBatch() || inner.maxBatch() < per) {
            throw new IllegalArgumentException("GridAveragedGradient: inner " + inner.coefficients() + " x " + n
                    + " batch " + inner.maxBatch() + ", forward " + forward.coefficients() + " x "
                    + forward.frameLength() + " batch " + forward.maxBatch() + ", examples of " + per
                    + " frames of " + layout.frameLength());
        }
        this.y = new float[inner.maxBatch() * n];
        this.x = new float[inner.maxBatch() * n];
        this.below = new float[inner.maxBatch() * n];
        this.above = new float[inner.maxBatch() * n];
        this.targets = new float[inner.maxBatch() * n];
        this.sum = new double[layout.segmentFrames() * n];
    }

    @Override
    public int frameLength() {
        return n;
    }

    @Override
    public int coefficients() {
        return inner.coefficients();
    }

    @Override
    public int maxBatch() {
        return inner.maxBatch();
    }

    @Override
    public int iterations() {
        return inner.iterations();
    }

    @Override
    public void setOperator(float[] op) {
        inner.setOperator(op);
        forward.setOperator(op, 0);
        forward.setSteps(inner.sigma(), inner.tau());
    }

    @Override
    public void setOperator(float[] op, float sigma, float tau) {
        inner.setOperator(op, sigma, tau);
        forward.setOperator(op, 0, sigma, tau);
    }

    @Override
    public void setSteps(float sigma, float tau) {
        inner.setSteps(sigma, tau);
        forward.setSteps(sigma, tau);
    }

    @Override
    public float sigma() {
        return inner.sigma();
    }

    @Override
    public float tau() {
        return inner.tau();
    }

    /** {@code batch} is a whole number of examples ({@code batch % framesPerExample == 0}); s holds clean frames. */
    @Override
    public double lossAndGradient(float[] xIn, float[] s, int first, int batch, float r, float[] gradOut) {
        checkBatch(batch);
        System.arraycopy(xIn, first * n, x, 0, batch * n);
        forward.load(x, 0, batch, r);
        double loss = targets(s, first, batch);
        inner.lossAndGradient(x, targets, 0, batch, r, gradOut);
        return loss;
    }

    /** The same with per-sample cells (see {@link GradientMethod}). */
    @Override
    public double lossAndGradient(float[] xIn, float[] belowIn, float[] aboveIn, float[] s, int first, int batch,
                                  float unit, float[] gradOut) {
        checkBatch(batch);
        System.arraycopy(xIn, first * n, x, 0, batch * n);
        System.arraycopy(belowIn, first * n, below, 0, batch * n);
        System.arraycopy(aboveIn, first * n, above, 0, batch * n);
        forward.load(x, below, above, 0, batch, unit);
        double loss = targets(s, first, batch);
        inner.lossAndGradient(x, below, above, targets, 0, batch, unit, gradOut);
        return loss;
    }

    private void checkBatch(int batch) {
        if (batch % per != 0) {
            throw new IllegalArgumentException("GridAveragedGradient: batch " + batch + " is not whole examples of "
                    + per + " frames");
        }
    }

    /** Solves the loaded batch, writes the pseudo-targets q_f (class comment) and returns the averaged loss. */
    private double targets(float[] s, int first, int batch) {
        forward.solve(inner.iterations());
        forward.readPrimal(y, 0);
        int grids = layout.grids();
        int span = sum.length;
        double loss = 0;
        for (int e = 0; e < batch / per; e++) {
            int base = e * per;
            Arrays.fill(sum, 0);
            for (int f = 0; f < per; f++) {
                addCovered(y, base + f, layout.frameStart(f), span);
            }
            for (int f = 0; f < per; f++) {
                int row = (base + f) * n;
                int t0 = layout.frameStart(f);
                for (int i = 0; i < n; i++) {
                    int t = t0 + i;
                    float target = y[row + i];
                    if (t >= 0 && t < span) {
                        // the segment's clean sample t is grid 0's frame t / n, sample t % n
                        double diff = sum[t] / grids - s[(first + base + t / n) * n + t % n];
                        target -= (float) (diff / grids);
                        if (f < layout.segmentFrames()) {
                            loss += 0.5 * diff * diff;
                        }
                    }
                    targets[row + i] = target;
                }
            }
        }
        return loss;
    }

    private void addCovered(float[] frames, int frame, int t0, int span) {
        int row = frame * n;
        for (int i = Math.max(0, -t0); i < n && t0 + i < span; i++) {
            sum[t0 + i] += frames[row + i];
        }
    }

    @Override
    public long workspaceBytes() {
        return inner.workspaceBytes() + 4 * forward.workspaceFloats()
                + 4L * (y.length + x.length + below.length + above.length + targets.length) + 8L * sum.length;
    }

    @Override
    public void close() {
        inner.close();
    }
}
