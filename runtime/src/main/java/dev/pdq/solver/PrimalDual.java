package dev.pdq.solver;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.quant.FrameScale;

import java.nio.FloatBuffer;

/**
 * Chambolle-Pock iterations (Algorithm 1 of Brauer and Lorenz) for min ||K y||_1 subject to every sample staying in
 * its cell, lo_t <= y_t <= hi_t, on a batch of frames at once. A cell is given relative to the starting point x_t
 * (the plain decoder's value, inside its cell): lo_t = x_t + below_t, hi_t = x_t + above_t, below_t <= 0 <= above_t;
 * the fixed grid is below = -r, above = r. Frames are rows: X, Y, Ybar are B x n, Psi, ZD are B x k, K is k x n,
 * all row-major.
 *
 * <pre>
 *   y0 = ybar0 = x, psi0 = 0
 *   zD  = psi + sigma * K ybar       psi_new = clip(zD, -1, 1)
 *   zP  = y - tau * K^T psi_new      y_new   = x + clip(zP - x, below, above)
 *   ybar = y_new + theta * (y_new - y)
 * </pre>
 *
 * Frame scale: {@link #load(float[], float[], float[], int, int, float)} solves each frame in the scale
 * c = 2^j of its cells ({@link FrameScale}): x, below and above divided by c, the solution multiplied by c on
 * {@link #readPrimal}. Powers of two keep this exact; on the fixed grid c = 1.
 *
 * <p>Memory. The two matrix products of an iteration (gemm for B > 1, gemv for B = 1) run on buffers of the BLAS
 * backend (native memory for OpenBLAS); the elementwise passes run on heap arrays, which the JIT compiles to vector
 * code (loops over direct buffers it does not vectorize), with one bulk copy per product argument and result. On a
 * backend whose buffers are heap arrays (the Java one) the arrays are the buffers and nothing is copied. Everything
 * is allocated at construction; nothing per call. The pre-clip arguments zD and zP of the last iteration are kept
 * for the trainer's backward pass.
 *
 * <p>Not thread-safe: one instance per stream or per training worker.
 */
public final class PrimalDual implements BatchSolver {
    private final Blas blas;
    private final int n;
    private final int k;
    private final int maxBatch;
    private final float theta;
    private final double stepRatio;
    private final FloatBuffer kMat;
    /** BLAS arguments and results: ybar (B x n) and psi (B x k) in, K ybar (B x k) and K^T psi (B x n) out. */
    private final FloatBuffer ybarBuf;
    private final FloatBuffer psiBuf;
    private final FloatBuffer zDBuf;
    private final FloatBuffer zPBuf;
    /** Heap state: the same arrays as the buffers above where the backend's buffers are heap arrays. */
    private final float[] x;
    private final float[] below;
    private final float[] above;
    private final float[] y;
    private final float[] ybar;
    private final float[] psi;
    private final float[] zD;
    private final float[] zP;
    private final int[] exponent;
    /** Per frame of the loaded batch: every cell holds 0, so y = 0 solves the problem exactly. */
    private final boolean[] silent;
    private boolean silentFramesAreZero;
    private final SpectralNorm normEstimator;
    private double norm = Double.NaN;
    private boolean hasOperator;
    private float sigma;
    private float tau;
    private int batch;

    /**
     * @param n         frame length (columns of K)
     * @param k         number of analysis coefficients (rows of K)
     * @param maxBatch  the largest batch {@link #load} will be given
     * @param theta     extrapolation parameter (1 in the paper)
     * @param stepRatio sigma / tau ({@link StepSizes#PAPER_RATIO} in the paper's code)
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
        int bn = maxBatch * n;
        int bk = maxBatch * k;
        this.kMat = blas.allocate(k * n);
        this.ybarBuf = blas.allocate(bn);
        this.zPBuf = blas.allocate(bn);
        this.psiBuf = blas.allocate(bk);
        this.zDBuf = blas.allocate(bk);
        this.ybar = arrayOf(ybarBuf, bn);
        this.zP = arrayOf(zPBuf, bn);
        this.psi = arrayOf(psiBuf, bk);
        this.zD = arrayOf(zDBuf, bk);
        this.x = new float[bn];
        this.below = new float[bn];
        this.above = new float[bn];
        this.y = new float[bn];
        this.exponent = new int[maxBatch];
        this.silent = new boolean[maxBatch];
        this.normEstimator = new SpectralNorm(k, n);
    }

    /** The buffer's own array where it is a whole heap array (no copies needed), else a new one. */
    private static float[] arrayOf(FloatBuffer buf, int length) {
        if (buf.hasArray() && buf.arrayOffset() == 0 && buf.array().length == length) {
            return buf.array();
        }
        return new float[length];
    }

    /**
     * Copies K (k x n row-major, from {@code op[off..off+k*n)}) into this solver's memory, estimates ||K|| by
     * warm-started power iteration ({@link SpectralNorm}) and sets the steps from it ({@link StepSizes}).
     *
     * @throws IllegalArgumentException if ||K|| is zero or not finite; the solver then refuses to load until a
     *                                  valid operator is set
     */
    public void setOperator(float[] op, int off) {
        kMat.put(0, op, off, k * n);
        double estimate = normEstimator.estimate(op, off, SpectralNorm.REL_TOL, SpectralNorm.MAX_ITERATIONS);
        setNorm(estimate);
    }

    /**
     * Copies K into this solver's memory and sets the steps from a norm the caller has already estimated with
     * {@link SpectralNorm} (an {@link dev.pdq.operator.Operator} carries its own): no second estimate.
     */
    public void setOperator(float[] op, int off, double spectralNorm) {
        kMat.put(0, op, off, k * n);
        setNorm(spectralNorm);
    }

    /**
     * Copies K into this solver's memory with steps the caller computed (the trainer's, from its checkpointed
     * norm estimate): no estimate here; {@link #spectralNorm()} is then NaN.
     */
    public void setOperator(float[] op, int off, float sigma, float tau) {
        kMat.put(0, op, off, k * n);
        norm = Double.NaN;
        hasOperator = true;
        setSteps(sigma, tau);
    }

    private void setNorm(double estimate) {
        if (!(estimate > 0) || !Double.isFinite(estimate)) {
            norm = Double.NaN;
            hasOperator = false; // unusable until a valid operator is set: load() refuses
            throw new IllegalArgumentException("PrimalDual: the operator's spectral norm is " + estimate);
        }
        norm = estimate;
        hasOperator = true;
        sigma = StepSizes.sigma(norm, stepRatio);
        tau = StepSizes.tau(norm, stepRatio);
    }

    /** Overrides the step sizes (golden vectors use fixed ones; the trainer sets the ones of its checkpointed norm). */
    public void setSteps(float sigma, float tau) {
        if (!(sigma > 0) || !(tau > 0) || !Float.isFinite(sigma) || !Float.isFinite(tau)) {
            throw new IllegalArgumentException("PrimalDual.setSteps: sigma = " + sigma + " and tau = " + tau
                    + " must be positive and finite");
        }
        this.sigma = sigma;
        this.tau = tau;
    }

    /**
     * Starts a solve on the fixed grid: x = frames[off .. off + batch*n), cells x +- r, y = ybar = x, psi = 0, no
     * frame scaling. Modifies only this solver's state.
     *
     * @throws IllegalArgumentException if a sample is NaN or infinite (naming the frame and sample), if batch or
     *                                  r is out of range, or if frames is too short
     */
    public void load(float[] frames, int off, int batch, float r) {
        if (!(r >= 0) || !Float.isFinite(r)) {
            throw new IllegalArgumentException("PrimalDual.load: r = " + r + " must be finite and >= 0");
        }
        int len = checkLoad(frames, off, batch);
        System.arraycopy(frames, off, x, 0, len);
        java.util.Arrays.fill(below, 0, len, -r);
        java.util.Arrays.fill(above, 0, len, r);
        java.util.Arrays.fill(exponent, 0, batch, 0);
        start(len);
    }

    /**
     * Starts a solve with per-sample cells: sample i of the batch starts at x = values[off + i] and must stay in
     * [x + below[off + i], x + above[off + i]]. Each frame is solved in its scale 2^j, j = {@link
     * FrameScale#exponent} of its cells with nominal half width {@code unit} (0: no scaling). Modifies only this
     * solver's state.
     *
     * @throws IllegalArgumentException if a value or cell bound is not finite, a cell does not hold its value
     *                                  (below > 0 or above < 0), or batch or the arrays are out of range
     */
    public void load(float[] values, float[] belowIn, float[] aboveIn, int off, int batch, float unit) {
        int len = checkLoad(values, off, batch);
        if (belowIn.length < off + len || aboveIn.length < off + len) {
            throw new IllegalArgumentException("PrimalDual.load: cells of " + belowIn.length + " and "
                    + aboveIn.length + " floats for " + batch + " frames of " + n + " from offset " + off);
        }
        for (int i = 0; i < len; i++) {
            float b = belowIn[off + i];
            float a = aboveIn[off + i];
            if (!(b <= 0) || !(a >= 0) || !Float.isFinite(b) || !Float.isFinite(a)) {
                throw new IllegalArgumentException("PrimalDual.load: frame " + i / n + " of the batch, sample "
                        + i % n + " has the cell [" + b + ", " + a + "] around its value");
            }
        }
        for (int f = 0; f < batch; f++) {
            int base = f * n;
            int j = unit > 0 ? FrameScale.exponent(belowIn, aboveIn, off + base, n, unit) : 0;
            exponent[f] = j;
            for (int i = base; i < base + n; i++) {
                x[i] = Math.scalb(values[off + i], -j);
                below[i] = Math.scalb(belowIn[off + i], -j);
                above[i] = Math.scalb(aboveIn[off + i], -j);
            }
        }
        start(len);
    }

    /** The batch's length in floats, after checking batch, operator and values. */
    private int checkLoad(float[] frames, int off, int batch) {
        if (batch <= 0 || batch > maxBatch) {
            throw new IllegalArgumentException("PrimalDual.load: batch = " + batch + " not in 1.." + maxBatch);
        }
        if (!hasOperator) {
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
        return len;
    }

    /**
     * Whether frames whose every cell holds 0 come out as 0 (see {@link #isSilent}). Off by default: the fixed L
     * iterations then run on every frame, as the paper's algorithm does.
     */
    public void setSilentFramesAreZero(boolean on) {
        silentFramesAreZero = on;
    }

    /**
     * Whether frame f of the loaded batch is silent: every cell [x + below, x + above] holds 0. Then y = 0 is the exact
     * solution of min ||K y||_1 over the cells for any K (a norm is 0 only there), which L iterations only approach;
     * with {@link #setSilentFramesAreZero} on, {@link #readPrimal} gives it.
     */
    public boolean isSilent(int f) {
        return silentFramesAreZero && silent[f];
    }

    /** y = ybar = x, psi = 0 for the loaded batch; which frames are silent. */
    private void start(int len) {
        for (int f = 0; f < batch; f++) {
            boolean all = true;
            for (int i = f * n, end = i + n; i < end && all; i++) {
                all = x[i] + below[i] <= 0 && x[i] + above[i] >= 0;
            }
            silent[f] = all;
        }
        System.arraycopy(x, 0, y, 0, len);
        System.arraycopy(x, 0, ybar, 0, len);
        toBlas(ybar, ybarBuf, len);
        int bk = batch * k;
        java.util.Arrays.fill(psi, 0, bk, 0f);
        toBlas(psi, psiBuf, bk);
    }

    /** One iteration of Algorithm 1 on the loaded batch. */
    public void iterate() {
        int b = batch;
        int bk = b * k;
        int bn = b * n;
        // zD = sigma * K ybar, then zD += psi, psi = clip(zD, -1, 1)
        if (b == 1) {
            blas.sgemv(Transpose.NO, k, n, sigma, kMat, 0, n, ybarBuf, 0, 0f, zDBuf, 0);
        } else {
            blas.sgemm(Transpose.NO, Transpose.YES, b, k, n, sigma, ybarBuf, 0, n, kMat, 0, n, 0f, zDBuf, 0, k);
        }
        fromBlas(zDBuf, zD, bk);
        dualStep(psi, zD, bk);
        toBlas(psi, psiBuf, bk);
        // zP = -tau * K^T psi, then zP += y, y_new = x + clip(zP - x, below, above), ybar = y_new + theta (y_new - y)
        if (b == 1) {
            blas.sgemv(Transpose.YES, k, n, -tau, kMat, 0, n, psiBuf, 0, 0f, zPBuf, 0);
        } else {
            blas.sgemm(Transpose.NO, Transpose.NO, b, n, k, -tau, psiBuf, 0, k, kMat, 0, n, 0f, zPBuf, 0, n);
        }
        fromBlas(zPBuf, zP, bn);
        primalStep(x, below, above, y, ybar, zP, theta, bn);
        toBlas(ybar, ybarBuf, bn);
    }

    /** zD[i] = psi[i] + zD[i], psi[i] = clip(zD[i], -1, 1) for i < len. Modifies psi and zD. */
    private static void dualStep(float[] psi, float[] zD, int len) {
        for (int i = 0; i < len; i++) {
            float z = psi[i] + zD[i];
            zD[i] = z;
            psi[i] = Math.max(-1f, Math.min(1f, z));
        }
    }

    /**
     * zP[i] = y[i] + zP[i], y[i] = x[i] + clip(zP[i] - x[i], below[i], above[i]), ybar[i] = y[i] + theta (y[i] - y_old[i])
     * for i < len. Modifies zP, y and ybar.
     */
    private static void primalStep(float[] x, float[] below, float[] above, float[] y, float[] ybar, float[] zP,
                                   float theta, int len) {
        for (int i = 0; i < len; i++) {
            float yOld = y[i];
            float z = yOld + zP[i];
            zP[i] = z;
            float xi = x[i];
            float yNew = xi + Math.max(below[i], Math.min(above[i], z - xi));
            y[i] = yNew;
            ybar[i] = yNew + theta * (yNew - yOld);
        }
    }

    private static void toBlas(float[] src, FloatBuffer dst, int len) {
        if (!dst.hasArray() || dst.array() != src) {
            dst.put(0, src, 0, len);
        }
    }

    private static void fromBlas(FloatBuffer src, float[] dst, int len) {
        if (!src.hasArray() || src.array() != dst) {
            src.get(0, dst, 0, len);
        }
    }

    /** Runs {@code iterations} iterations on the loaded batch. */
    public void solve(int iterations) {
        for (int l = 0; l < iterations; l++) {
            iterate();
        }
    }

    /**
     * Copies the current primal iterate y (batch x n) into {@code dst[off..)}, each frame multiplied back by its
     * scale (a silent frame as 0 where {@link #setSilentFramesAreZero} is on). Modifies dst only.
     */
    public void readPrimal(float[] dst, int off) {
        for (int f = 0; f < batch; f++) {
            int base = f * n;
            int j = exponent[f];
            if (isSilent(f)) {
                java.util.Arrays.fill(dst, off + base, off + base + n, 0f);
            } else if (j == 0) {
                System.arraycopy(y, base, dst, off + base, n);
            } else {
                for (int i = base; i < base + n; i++) {
                    dst[off + i] = Math.scalb(y[i], j);
                }
            }
        }
    }

    public int frameLength() {
        return n;
    }

    /** Floats of workspace this solver allocated at construction (K, the batch buffers and arrays, the norm's). */
    public long workspaceFloats() {
        long bn = (long) maxBatch * n;
        long bk = (long) maxBatch * k;
        boolean aliased = ybarBuf.hasArray() && ybarBuf.array() == ybar;
        return (long) k * n + 2 * bn + 2 * bk + 4 * bn + (aliased ? 0 : 2 * bn + 2 * bk)
                + normEstimator.workspaceFloats();
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

    public float theta() {
        return theta;
    }

    public double stepRatio() {
        return stepRatio;
    }

    public float sigma() {
        return sigma;
    }

    public float tau() {
        return tau;
    }

    /** ||K||_2 as last estimated or given; NaN after {@link #setOperator(float[], int, float, float)}. */
    public double spectralNorm() {
        return norm;
    }

    public Blas blas() {
        return blas;
    }

    /** K (k x n), in the backend's memory; after changing it call {@link #setOperator} again. */
    public FloatBuffer operator() {
        return kMat;
    }

    /** The scale exponent j of frame f of the loaded batch: it was solved in units of 2^j. */
    public int frameExponent(int f) {
        return exponent[f];
    }

    /** x of the loaded batch (B x n), in each frame's scale. */
    public float[] observation() {
        return x;
    }

    /** below of the loaded batch's cells (B x n), in each frame's scale. */
    public float[] cellBelow() {
        return below;
    }

    /** above of the loaded batch's cells (B x n), in each frame's scale. */
    public float[] cellAbove() {
        return above;
    }

    /** y, the primal iterate (B x n), in each frame's scale. */
    public float[] primal() {
        return y;
    }

    /** psi, the dual iterate (B x k). */
    public float[] dual() {
        return psi;
    }

    /** psi in the backend's memory (B x k): the same values as {@link #dual()}, for BLAS calls. */
    public FloatBuffer dualBuffer() {
        return psiBuf;
    }

    /** ybar in the backend's memory (B x n): the argument of the next iteration's K ybar, for BLAS calls. */
    public FloatBuffer primalExtrapolatedBuffer() {
        return ybarBuf;
    }

    /** zD of the last iteration: psi + sigma K ybar before the clip (B x k). */
    public float[] dualArgument() {
        return zD;
    }

    /** zP of the last iteration: y - tau K^T psi before the projection (B x n). */
    public float[] primalArgument() {
        return zP;
    }
}
