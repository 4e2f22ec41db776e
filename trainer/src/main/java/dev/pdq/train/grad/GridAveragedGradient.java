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
 *   l    = sum over the segment's M blocks of n samples of l_b(a - s)      (the {@link Loss}, per block of grid 0)
 *        = 0.5 sum_t (a(t) - s(t))^2                                      for the squared error
 * </pre>
 *
 * dl/dy^L_f(t) = g(t) / S on the segment, 0 outside, g = dl/da (a - s for the squared error), so dl/dK is the inner
 * method's gradient of 0.5 sum_f ||y^L_f - q_f||^2 at the pseudo-targets q_f = y^L_f - dl/dy^L_f, held constant:
 * the inner method must use the plain squared error, whatever this loss is. A block's loss sees only its own
 * n samples (a weighting filter restarts at every block of the segment, as on plain frames). y^L comes from a forward
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
    /** The grids' sum on the segment, then the error a - s, then dl/da. */
    private final double[] sum;
    private final Loss loss;

    /** With the squared error: see the constructor below. */
    public GridAveragedGradient(GradientMethod inner, PrimalDual forward, GridSegments layout) {
        this(inner, forward, layout, new SquaredError(inner.frameLength()));
    }

    /**
     * @param inner   the per-frame gradient, with the plain squared error (the pseudo-targets need it)
     * @param forward a solver of inner's n, k and at least inner's batch, used for y^L only
     * @param loss    the loss of the averaged output, per block of n samples (owned by this object from now on)
     */
    public GridAveragedGradient(GradientMethod inner, PrimalDual forward, GridSegments layout, Loss loss) {
        if (!(inner.loss() instanceof SquaredError)) {
            throw new IllegalArgumentException("GridAveragedGradient: the inner method's loss must be the squared"
                    + " error (its targets are pseudo-targets), not " + inner.loss().describe());
        }
        if (loss.frameLength() != inner.frameLength()) {
            throw new IllegalArgumentException("GridAveragedGradient: the loss takes blocks of " + loss.frameLength()
                    + " samples, frames have n = " + inner.frameLength());
        }
        this.loss = loss;
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
        int m = layout.segmentFrames();
        double total = 0;
        for (int e = 0; e < batch / per; e++) {
            int base = e * per;
            Arrays.fill(sum, 0);
            for (int f = 0; f < per; f++) {
                addCovered(y, base + f, layout.frameStart(f), span);
            }
            // the segment's clean sample t is grid 0's frame t / n, sample t % n: the rows first + base .. + m - 1
            int clean = (first + base) * n;
            for (int t = 0; t < span; t++) {
                sum[t] = sum[t] / grids - s[clean + t];
            }
            total = loss.addLossAndGradient(total, sum, 0, s, clean, m);
            for (int f = 0; f < per; f++) {
                int row = (base + f) * n;
                int t0 = layout.frameStart(f);
                for (int i = 0; i < n; i++) {
                    int t = t0 + i;
                    float target = y[row + i];
                    if (t >= 0 && t < span) {
                        target -= (float) (sum[t] / grids);
                    }
                    targets[row + i] = target;
                }
            }
        }
        return total;
    }

    private void addCovered(float[] frames, int frame, int t0, int span) {
        int row = frame * n;
        for (int i = Math.max(0, -t0); i < n && t0 + i < span; i++) {
            sum[t0 + i] += frames[row + i];
        }
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public long workspaceBytes() {
        return inner.workspaceBytes() + loss.workspaceBytes() + 4 * forward.workspaceFloats()
                + 4L * (y.length + x.length + below.length + above.length + targets.length) + 8L * sum.length;
    }

    @Override
    public void close() {
        inner.close();
    }
}
