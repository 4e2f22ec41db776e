package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.solver.PrimalDual;

import dev.pdq.solver.StepSizes;

import java.nio.FloatBuffer;

/**
 * What full and truncated backpropagation share: the forward solver (the runtime's {@link PrimalDual}, so training
 * unrolls exactly the kernel that runs on the node), the loss's seed ({@link Loss}), and one step of the backward
 * recursion
 *
 * <pre>
 *   dbarD  = (1+theta) deltaD' - theta deltaD''          (deltaD' of the step before, deltaD'' of the one before it)
 *   deltaP = maskP * (deltaP' + sigma * K^T dbarD)
 *   deltaD = maskD * (deltaD' - tau * K deltaP)
 * </pre>
 *
 * on B frames as rows: K^T applied to the rows of dbarD is dbarD * K, K applied to the rows of deltaP is
 * deltaP * K^T, both one gemm over the batch. The masks are maskD = [|zD| <= 1] and maskP = [zP - x inside the
 * cell, widened by rho]: rho = 1 (the exact Jacobian, the fixed grid's alpha = r) or alpha / unit, the paper's
 * relaxed mask alpha measured in full-scale cells (alpha = 1 on the 4-bit grid is the cell widened 16 times).
 *
 * <p>Frame scale and loss: the solver solves each frame in its scale c = 2^j ({@link PrimalDual#load(float[], float[],
 * float[], int, int, float)}); the loss is taken in the signal's own scale, l = sum_f l_f(c y'^L - s) with the
 * method's {@link Loss} (the squared error 0.5 ||c y'^L - s||^2 unless another is given), so its seed is
 * deltaP = c dl/dy (c (c y'^L - s) for the squared error): a quiet frame amplified by its scale weighs what it
 * weighs in the output.
 *
 * <p>Memory: the elementwise work runs on heap arrays (vector code), the products on the backend's buffers, with
 * one bulk copy per product argument and result, as in {@link PrimalDual}.
 */
abstract class UnrolledBackprop implements GradientMethod {
    final Blas blas;
    final PrimalDual solver;
    final int n;
    final int k;
    final int maxBatch;
    final int iterations;
    /** The primal mask threshold at full scale: the call's unit (r on the fixed grid) is the exact Jacobian. */
    final float alpha;
    final float theta;
    /** The loss of a frame's output, seeding the backward pass. */
    private final Loss loss;
    /** One frame's error e = c y'^L - s, then dl/dy, in double (the loss's argument). */
    private final double[] frameError;
    /** deltaP of the current step (B x n), heap and BLAS copies; holds the seed before the first step. */
    final float[] deltaP;
    final FloatBuffer deltaPBuf;
    /** deltaD of the latest step and of the one before it (B x k); swapped every step. */
    float[] dualLast;
    float[] dualBefore;
    /** deltaD of the latest step in the backend's memory (written by {@link #backwardStep} when asked). */
    final FloatBuffer dualLastBuf;
    /** dbarD (B x k), heap and BLAS. */
    private final float[] dualBar;
    private final FloatBuffer dualBarBuf;
    /** Product results: K^T dbarD (B x n) and K deltaP (B x k), heap and BLAS. */
    private final float[] productP;
    private final FloatBuffer productPBuf;
    private final float[] productD;
    private final FloatBuffer productDBuf;
    /** dl/dK being accumulated (k x n). */
    final FloatBuffer grad;
    /** rho of the current call's primal mask. */
    float rho = 1f;
    private long workspaceFloats;

    /**
     * @param alpha threshold of the primal mask at full scale: the call's unit (r on the fixed grid) gives the exact
     *              Jacobian, 1 the paper's mask
     */
    UnrolledBackprop(String name, Blas blas, int n, int k, int maxBatch, int iterations, float alpha, float theta,
                     double stepRatio, Loss loss) {
        if (iterations < 1) {
            throw new IllegalArgumentException(name + ": iterations = " + iterations + " must be at least 1");
        }
        if (!(alpha >= 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException(name + ": alpha = " + alpha + " must be finite and >= 0");
        }
        if (!Float.isFinite(theta)) {
            throw new IllegalArgumentException(name + ": theta = " + theta + " must be finite");
        }
        if (loss.frameLength() != n) {
            throw new IllegalArgumentException(name + ": the loss takes blocks of " + loss.frameLength()
                    + " samples, frames have n = " + n);
        }
        this.blas = blas;
        this.solver = new PrimalDual(blas, n, k, maxBatch, theta, stepRatio);
        this.n = n;
        this.k = k;
        this.maxBatch = maxBatch;
        this.iterations = iterations;
        this.alpha = alpha;
        this.theta = theta;
        this.loss = loss;
        this.workspaceFloats = solver.workspaceFloats() + 2L * n;
        this.frameError = new double[n];
        int bn = maxBatch * n;
        int bk = maxBatch * k;
        this.deltaP = heap(bn);
        this.deltaPBuf = allocate(bn);
        this.dualBar = heap(bk);
        this.dualBarBuf = allocate(bk);
        this.dualLast = heap(bk);
        this.dualBefore = heap(bk);
        this.dualLastBuf = allocate(bk);
        this.productP = heap(bn);
        this.productPBuf = allocate(bn);
        this.productD = heap(bk);
        this.productDBuf = allocate(bk);
        this.grad = allocate(k * n);
    }

    /** A backend buffer, counted in {@link #workspaceBytes()}. */
    final FloatBuffer allocate(int length) {
        workspaceFloats += length;
        return blas.allocate(length);
    }

    /** A heap array, counted in {@link #workspaceBytes()}. */
    final float[] heap(int length) {
        workspaceFloats += length;
        return new float[length];
    }

    /** Bytes of workspace beyond the float buffers (mask bits). */
    abstract long extraBytes();

    /** Runs the L forward iterations on the loaded batch, recording what the backward pass needs. */
    abstract void forward(int batch);

    /** Runs the backward pass from the seed in deltaP, deltaD' = deltaD'' = 0, and leaves dl/dK in {@link #grad}. */
    abstract void backward(int batch);

    @Override
    public final double lossAndGradient(float[] x, float[] s, int first, int batch, float r, float[] gradOut) {
        checkCall(x, s, first, batch, gradOut);
        solver.load(x, first * n, batch, r);
        return run(s, first, batch, r, gradOut);
    }

    @Override
    public final double lossAndGradient(float[] x, float[] below, float[] above, float[] s, int first, int batch,
                                        float unit, float[] gradOut) {
        checkCall(x, s, first, batch, gradOut);
        solver.load(x, below, above, first * n, batch, unit);
        return run(s, first, batch, unit, gradOut);
    }

    private double run(float[] s, int first, int batch, float unit, float[] gradOut) {
        rho = alpha == unit ? 1f : alpha / unit;
        forward(batch);
        double loss = seedResidual(s, first * n, batch);
        java.util.Arrays.fill(dualLast, 0, batch * k, 0f);
        java.util.Arrays.fill(dualBefore, 0, batch * k, 0f);
        backward(batch);
        grad.get(0, gradOut, 0, k * n);
        return loss;
    }

    private void checkCall(float[] x, float[] s, int first, int batch, float[] gradOut) {
        String me = getClass().getSimpleName() + ".lossAndGradient";
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException(me + ": batch = " + batch + " not in 1.." + maxBatch);
        }
        if (first < 0) {
            throw new IllegalArgumentException(me + ": first = " + first + " is negative");
        }
        long end = (long) (first + batch) * n;
        if (x.length < end) {
            throw new IllegalArgumentException(me + ": x has " + x.length + " floats, frames " + first + ".."
                    + (first + batch - 1) + " need " + end);
        }
        if (s.length < end) {
            throw new IllegalArgumentException(me + ": s has " + s.length + " floats, frames " + first + ".."
                    + (first + batch - 1) + " need " + end);
        }
        if (gradOut.length < k * n) {
            throw new IllegalArgumentException(me + ": gradOut has " + gradOut.length + " floats, needs k*n = "
                    + (k * n));
        }
    }

    /**
     * Frame by frame (c = 2^j the frame's scale, 1 on the fixed grid): e = c y^L - s, the loss adds l(e) and turns e
     * into dl/dy, deltaP = c dl/dy. Returns the loss summed over the batch (one running double sum, in the samples'
     * order: for the squared error exactly 0.5 * sum ||c y^L - s||^2 as before losses were pluggable). Modifies
     * deltaP, the frame's error workspace and the loss's.
     */
    private double seedResidual(float[] s, int off, int batch) {
        float[] y = solver.primal();
        double[] e = frameError;
        double sum = 0;
        for (int f = 0; f < batch; f++) {
            int j = solver.frameExponent(f);
            boolean silent = solver.isSilent(f); // its output is 0 whatever K: no gradient
            int row = f * n;
            for (int i = 0; i < n; i++) {
                e[i] = silent ? -s[off + row + i] : Math.scalb(y[row + i], j) - s[off + row + i];
            }
            sum = loss.addLossAndGradient(sum, e, 0, s, off + row, 1);
            for (int i = 0; i < n; i++) {
                deltaP[row + i] = silent ? 0f : Math.scalb((float) e[i], j);
            }
        }
        return sum;
    }

    /**
     * One backward step (formula in the class comment) with the masks of {@code slot}: on entry deltaP = deltaP',
     * dualLast = deltaD', dualBefore = deltaD''; on exit deltaP = deltaP (also in {@link #deltaPBuf}),
     * dualLast = deltaD (also in {@link #dualLastBuf} when {@code dualToBlas}), dualBefore = deltaD'.
     * {@code first} marks the first step, where deltaD' = deltaD'' = 0 and the K^T dbarD term is skipped.
     * Modifies deltaP, dualLast, dualBefore and the product workspace.
     */
    final void backwardStep(int batch, MaskBits maskP, MaskBits maskD, int slot, boolean first, boolean dualToBlas) {
        float sigma = solver.sigma();
        float tau = solver.tau();
        FloatBuffer kMat = solver.operator();
        int bn = batch * n;
        int bk = batch * k;
        if (!first) {
            float a = 1f + theta;
            float c = theta;
            float[] last = dualLast;
            float[] before = dualBefore;
            for (int i = 0; i < bk; i++) {
                dualBar[i] = a * last[i] - c * before[i];
            }
            dualBarBuf.put(0, dualBar, 0, bk);
            // sigma * dbarD * K   (rows: (K^T dbarD)^T = dbarD^T K)
            blas.sgemm(Transpose.NO, Transpose.NO, batch, n, k, sigma, dualBarBuf, 0, k, kMat, 0, n, 0f,
                    productPBuf, 0, n);
            productPBuf.get(0, productP, 0, bn);
        }
        maskP.apply(slot, deltaP, first ? null : productP, deltaP, bn);
        deltaPBuf.put(0, deltaP, 0, bn);
        // deltaD'' is no longer needed: its array becomes deltaD = maskD * (deltaD' - tau * deltaP * K^T)
        blas.sgemm(Transpose.NO, Transpose.YES, batch, k, n, -tau, deltaPBuf, 0, n, kMat, 0, n, 0f, productDBuf,
                0, k);
        productDBuf.get(0, productD, 0, bk);
        float[] next = dualBefore;
        maskD.apply(slot, dualLast, productD, next, bk);
        dualBefore = dualLast;
        dualLast = next;
        if (dualToBlas) {
            dualLastBuf.put(0, next, 0, bk);
        }
    }

    /** The primal mask of the solver's last iteration, widened by this call's rho, into {@code slot}. */
    final void recordMasks(MaskBits maskP, MaskBits maskD, int slot, int batch) {
        maskP.recordCells(slot, solver.primalArgument(), solver.observation(), solver.cellBelow(),
                solver.cellAbove(), rho, batch * n);
        maskD.recordUnit(slot, solver.dualArgument(), batch * k);
    }

    @Override
    public final int frameLength() {
        return n;
    }

    @Override
    public final int coefficients() {
        return k;
    }

    @Override
    public final int maxBatch() {
        return maxBatch;
    }

    @Override
    public final int iterations() {
        return iterations;
    }

    @Override
    public final Loss loss() {
        return loss;
    }

    /** The primal mask threshold alpha. */
    public final float alpha() {
        return alpha;
    }

    @Override
    public final void setOperator(float[] op) {
        if (op.length < k * n) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setOperator: K has " + op.length
                    + " floats, needs k*n = " + (k * n));
        }
        solver.setOperator(op, 0);
    }

    @Override
    public final void setOperator(float[] op, float sigma, float tau) {
        if (op.length < k * n) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setOperator: K has " + op.length
                    + " floats, needs k*n = " + (k * n));
        }
        solver.setOperator(op, 0, sigma, tau);
    }

    @Override
    public final void setSteps(float sigma, float tau) {
        solver.setSteps(sigma, tau);
    }

    @Override
    public final float sigma() {
        return solver.sigma();
    }

    @Override
    public final float tau() {
        return solver.tau();
    }

    /** The forward solver (its operator, steps and, after a call, its final iterates). */
    public final PrimalDual solver() {
        return solver;
    }

    @Override
    public final long workspaceBytes() {
        return 4L * workspaceFloats + extraBytes() + loss.workspaceBytes();
    }

    /** The plain squared error for frames of n samples, the loss of the constructors that take none. */
    static Loss squaredError(int n) {
        return new SquaredError(n);
    }
}
