package dev.pdq.solver;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;

import java.nio.FloatBuffer;

/**
 * Chambolle-Pock iterations (Algorithm 1 of Brauer and Lorenz) for min ||K y||_1 subject to |y - x| <= r, on a
 * batch of frames at once. Frames are rows: X, Y, Ybar are B x n, Psi, ZD are B x k, K is k x n, all row-major.
 *
 * <pre>
 *   y0 = ybar0 = x, psi0 = 0
 *   zD  = psi + sigma * K ybar       psi_new = clip(zD, -1, 1)
 *   zP  = y - tau * K^T psi_new      y_new   = x + clip(zP - x, -r, r)
 *   ybar = y_new + theta * (y_new - y)
 * </pre>
 *
 * Each iteration is two BLAS calls (gemm for B > 1, gemv for B = 1) and two elementwise passes. All workspace is
 * allocated at construction in buffers of the chosen backend (native memory for OpenBLAS); nothing is allocated
 * per call. The pre-clip arguments zD and zP of the last iteration are kept because the trainer's backward pass
 * needs their masks.
 *
 * <p>Not thread-safe: one instance per stream or per training worker.
 */
public final class PrimalDual {
    /** sigma * tau * ||K||^2 = SAFETY^2 < 1. */
    public static final double SAFETY = 0.99;

    private final Blas blas;
    private final int n;
    private final int k;
    private final int maxBatch;
    private final float theta;
    private final double stepRatio;
    private final FloatBuffer kMat;
    private final FloatBuffer x;
    private final FloatBuffer y;
    private final FloatBuffer ybar;
    private final FloatBuffer psi;
    private final FloatBuffer zD;
    private final FloatBuffer zP;
    private final SpectralNorm normEstimator;
    private double norm = Double.NaN;
    private float sigma;
    private float tau;
    private float r;
    private int batch;

    /**
     * @param n         frame length (columns of K)
     * @param k         number of analysis coefficients (rows of K)
     * @param maxBatch  the largest batch {@link #load} will be given
     * @param theta     extrapolation parameter (1 in the paper)
     * @param stepRatio sigma / tau (100 in the paper's code: sigma = 10 * 0.99/||K||, tau = 0.1 * 0.99/||K||)
     */
    public PrimalDual(Blas blas, int n, int k, int maxBatch, float theta, double stepRatio) {
        if (n <= 0 || k <= 0 || maxBatch <= 0) {
            throw new IllegalArgumentException("PrimalDual: n, k and maxBatch must be positive, got n = " + n
                    + ", k = " + k + ", maxBatch = " + maxBatch);
        }
        if (!(stepRatio > 0) || !Double.isFinite(stepRatio)) {
            throw new IllegalArgumentException("PrimalDual: stepRatio must be positive and finite, got " + stepRatio);
        }
        if (!(theta >= 0 && theta <= 1)) {
            throw new IllegalArgumentException("PrimalDual: theta = " + theta + " not in [0, 1]");
        }
        if ((long) k * n > Integer.MAX_VALUE || (long) maxBatch * Math.max(n, k) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PrimalDual: k*n = " + ((long) k * n) + " or maxBatch*max(n, k) = "
                    + ((long) maxBatch * Math.max(n, k)) + " exceeds the largest buffer");
        }
        this.blas = blas;
        this.n = n;
        this.k = k;
        this.maxBatch = maxBatch;
        this.theta = theta;
        this.stepRatio = stepRatio;
        this.kMat = blas.allocate(k * n);
        this.x = blas.allocate(maxBatch * n);
        this.y = blas.allocate(maxBatch * n);
        this.ybar = blas.allocate(maxBatch * n);
        this.zP = blas.allocate(maxBatch * n);
        this.psi = blas.allocate(maxBatch * k);
        this.zD = blas.allocate(maxBatch * k);
        this.normEstimator = new SpectralNorm(blas, k, n);
    }

    /**
     * Copies K (k x n row-major, from {@code op[off..off+k*n)}) into this solver's memory, re-estimates ||K|| by
     * warm-started power iteration and sets sigma = sqrt(ratio) * 0.99/||K||, tau = 0.99/(sqrt(ratio) * ||K||).
     */
    public void setOperator(float[] op, int off) {
        kMat.put(0, op, off, k * n);
        updateNorm(1e-7, 10_000);
    }

    /**
     * Re-estimates ||K|| after K was changed in place through {@link #operator()}; sets sigma and tau.
     *
     * @throws IllegalArgumentException if ||K|| is zero or not finite; the solver then refuses to load until a
     *                                  valid operator is set
     */
    public void updateNorm(double relTol, int maxIterations) {
        setNorm(normEstimator.estimate(kMat, relTol, maxIterations));
    }

    /**
     * Copies K as {@link #setOperator(float[], int)} does but takes ||K|| as given instead of estimating it again,
     * for a caller that has computed it already (an Operator computes it in double when it is made or read);
     * sets sigma and tau from it.
     *
     * @throws IllegalArgumentException if {@code norm} is zero, negative or not finite
     */
    public void setOperator(float[] op, int off, double norm) {
        kMat.put(0, op, off, k * n);
        setNorm(norm);
    }

    private void setNorm(double estimate) {
        if (!(estimate > 0) || !Double.isFinite(estimate)) {
            norm = Double.NaN; // unusable until a valid operator is set: load() refuses
            throw new IllegalArgumentException("PrimalDual: the operator's spectral norm is " + estimate);
        }
        norm = estimate;
        double s = Math.sqrt(stepRatio);
        sigma = (float) (s * SAFETY / norm);
        tau = (float) (SAFETY / (s * norm));
    }

    /** Overrides the step sizes (for golden vectors computed with fixed sigma and tau). */
    public void setSteps(float sigma, float tau) {
        if (!(sigma > 0) || !(tau > 0) || !Float.isFinite(sigma) || !Float.isFinite(tau)) {
            throw new IllegalArgumentException("PrimalDual.setSteps: sigma = " + sigma + " and tau = " + tau
                    + " must be positive and finite");
        }
        this.sigma = sigma;
        this.tau = tau;
    }

    /**
     * Starts a solve: x = frames[off .. off + batch*n), y = ybar = x, psi = 0, box half width r. Modifies only
     * this solver's state.
     *
     * @throws IllegalArgumentException if a sample is NaN or infinite (naming the frame and sample), if batch or
     *                                  r is out of range, or if frames is too short
     */
    public void load(float[] frames, int off, int batch, float r) {
        if (batch <= 0 || batch > maxBatch) {
            throw new IllegalArgumentException("PrimalDual.load: batch = " + batch + " not in 1.." + maxBatch);
        }
        if (!(r >= 0) || !Float.isFinite(r)) {
            throw new IllegalArgumentException("PrimalDual.load: r = " + r + " must be finite and >= 0");
        }
        if (Double.isNaN(norm)) {
            throw new IllegalStateException("PrimalDual.load: no operator set");
        }
        int len = batch * n;
        if (off < 0 || off > frames.length - len) {
            throw new IllegalArgumentException("PrimalDual.load: " + batch + " frames of " + n + " from offset " + off
                    + " do not fit in an array of " + frames.length);
        }
        for (int i = 0; i < len; i++) {
            if (!Float.isFinite(frames[off + i])) {
                throw new IllegalArgumentException("PrimalDual.load: frame " + i / n + " of the batch, sample "
                        + i % n + " is " + frames[off + i]);
            }
        }
        this.batch = batch;
        this.r = r;
        x.put(0, frames, off, len);
        y.put(0, frames, off, len);
        ybar.put(0, frames, off, len);
        for (int i = 0, m = batch * k; i < m; i++) {
            psi.put(i, 0f);
        }
    }

    /** One iteration of Algorithm 1 on the loaded batch. */
    public void iterate() {
        int b = batch;
        // zD = sigma * K ybar, then zD += psi, psi = clip(zD, -1, 1)
        if (b == 1) {
            blas.sgemv(Transpose.NO, k, n, sigma, kMat, 0, n, ybar, 0, 0f, zD, 0);
        } else {
            blas.sgemm(Transpose.NO, Transpose.YES, b, k, n, sigma, ybar, 0, n, kMat, 0, n, 0f, zD, 0, k);
        }
        for (int i = 0, m = b * k; i < m; i++) {
            float z = psi.get(i) + zD.get(i);
            zD.put(i, z);
            psi.put(i, Math.max(-1f, Math.min(1f, z)));
        }
        // zP = -tau * K^T psi, then zP += y, y_new = x + clip(zP - x, -r, r), ybar = y_new + theta (y_new - y)
        if (b == 1) {
            blas.sgemv(Transpose.YES, k, n, -tau, kMat, 0, n, psi, 0, 0f, zP, 0);
        } else {
            blas.sgemm(Transpose.NO, Transpose.NO, b, n, k, -tau, psi, 0, k, kMat, 0, n, 0f, zP, 0, n);
        }
        float rr = r;
        float th = theta;
        for (int i = 0, m = b * n; i < m; i++) {
            float yOld = y.get(i);
            float z = yOld + zP.get(i);
            zP.put(i, z);
            float xi = x.get(i);
            float yNew = xi + Math.max(-rr, Math.min(rr, z - xi));
            y.put(i, yNew);
            ybar.put(i, yNew + th * (yNew - yOld));
        }
    }

    /** Runs {@code iterations} iterations on the loaded batch. */
    public void solve(int iterations) {
        for (int l = 0; l < iterations; l++) {
            iterate();
        }
    }

    /** Copies the current primal iterate y (batch x n) into {@code dst[off..)}. */
    public void readPrimal(float[] dst, int off) {
        y.get(0, dst, off, batch * n);
    }

    public int frameLength() {
        return n;
    }

    /** Floats of workspace this solver allocated at construction (K, the batch buffers, the norm estimator's). */
    public long workspaceFloats() {
        return (long) k * n + (long) maxBatch * (4L * n + 2L * k) + normEstimator.workspaceFloats();
    }

    public int coefficients() {
        return k;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int batch() {
        return batch;
    }

    public float radius() {
        return r;
    }

    public float theta() {
        return theta;
    }

    public float sigma() {
        return sigma;
    }

    public float tau() {
        return tau;
    }

    /** ||K||_2 as last estimated. */
    public double spectralNorm() {
        return norm;
    }

    public Blas blas() {
        return blas;
    }

    /** K (k x n), in the backend's memory; after changing it call {@link #updateNorm}. */
    public FloatBuffer operator() {
        return kMat;
    }

    /** x of the loaded batch (B x n). */
    public FloatBuffer observation() {
        return x;
    }

    /** y, the primal iterate (B x n). */
    public FloatBuffer primal() {
        return y;
    }

    /** ybar, the extrapolated primal iterate (B x n). */
    public FloatBuffer primalExtrapolated() {
        return ybar;
    }

    /** psi, the dual iterate (B x k). */
    public FloatBuffer dual() {
        return psi;
    }

    /** zD of the last iteration: psi + sigma K ybar before the clip (B x k). */
    public FloatBuffer dualArgument() {
        return zD;
    }

    /** zP of the last iteration: y - tau K^T psi before the projection (B x n). */
    public FloatBuffer primalArgument() {
        return zP;
    }
}
