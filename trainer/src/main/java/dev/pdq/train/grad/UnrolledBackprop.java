package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.solver.PrimalDual;

import java.nio.FloatBuffer;

/**
 * What full and truncated backpropagation share: the forward solver (the runtime's {@link PrimalDual}, so training
 * unrolls exactly the kernel that runs on the node), the loss, and one step of the backward recursion
 *
 * <pre>
 *   dbarD  = (1+theta) deltaD' - theta deltaD''          (deltaD' of the step before, deltaD'' of the one before it)
 *   deltaP = maskP * (deltaP' + sigma * K^T dbarD)
 *   deltaD = maskD * (deltaD' - tau * K deltaP)
 * </pre>
 *
 * on B frames as rows: K^T applied to the rows of dbarD is dbarD * K, K applied to the rows of deltaP is
 * deltaP * K^T, both one gemm over the batch.
 */
abstract class UnrolledBackprop implements GradientMethod {
    /** theta of the paper. */
    static final float PAPER_THETA = 1f;
    /** sigma / tau of the paper's code: sigma = 10 * 0.99/||K||, tau = 0.1 * 0.99/||K||. */
    static final double PAPER_STEP_RATIO = 100.0;

    final Blas blas;
    final PrimalDual solver;
    final int n;
    final int k;
    final int maxBatch;
    final int iterations;
    final float alpha;
    final float theta;
    /** deltaP of the current step (B x n); holds y^L - s before the first. */
    final FloatBuffer deltaP;
    /** dbarD (B x k). */
    final FloatBuffer dualBar;
    /** dl/dK being accumulated (k x n). */
    final FloatBuffer grad;
    /** deltaD of the latest step and of the one before it (B x k); swapped every step. */
    FloatBuffer dualLast;
    FloatBuffer dualBefore;
    private long workspaceFloats;

    /**
     * @param alpha threshold of the primal mask [|zP - x| <= alpha]: r gives the exact Jacobian, 1 is the paper's
     */
    UnrolledBackprop(String name, Blas blas, int n, int k, int maxBatch, int iterations, float alpha, float theta,
                     double stepRatio) {
        if (iterations < 1) {
            throw new IllegalArgumentException(name + ": iterations = " + iterations + " must be at least 1");
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException(name + ": alpha = " + alpha + " must be finite and >= 0");
        }
        if (!Float.isFinite(theta)) {
            throw new IllegalArgumentException(name + ": theta = " + theta + " must be finite");
        }
        this.blas = blas;
        this.solver = new PrimalDual(blas, n, k, maxBatch, theta, stepRatio);
        this.n = n;
        this.k = k;
        this.maxBatch = maxBatch;
        this.iterations = iterations;
        this.alpha = alpha;
        this.theta = theta;
        this.workspaceFloats = solver.workspaceFloats();
        this.deltaP = allocate(maxBatch * n);
        this.dualBar = allocate(maxBatch * k);
        this.dualLast = allocate(maxBatch * k);
        this.dualBefore = allocate(maxBatch * k);
        this.grad = allocate(k * n);
    }

    /** A backend buffer, counted in {@link #workspaceBytes()}. */
    final FloatBuffer allocate(int length) {
        workspaceFloats += length;
        return blas.allocate(length);
    }

    /** Bytes of workspace beyond the float buffers (mask bits). */
    abstract long extraBytes();

    /** Runs the L forward iterations on the loaded batch, recording what the backward pass needs. */
    abstract void forward(int batch);

    /** Runs the backward pass from deltaP = y^L - s, deltaD' = deltaD'' = 0 and leaves dl/dK in {@link #grad}. */
    abstract void backward(int batch);

    @Override
    public final double lossAndGradient(float[] x, float[] s, int first, int batch, float r, float[] gradOut) {
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
        solver.load(x, first * n, batch, r);
        forward(batch);
        double loss = seedResidual(s, first * n, batch * n);
        zero(dualLast, batch * k);
        zero(dualBefore, batch * k);
        backward(batch);
        grad.get(0, gradOut, 0, k * n);
        return loss;
    }

    /** deltaP = y^L - s; returns 0.5 * ||y^L - s||^2 (accumulated in double). Modifies deltaP. */
    private double seedResidual(float[] s, int off, int len) {
        FloatBuffer y = solver.primal();
        double loss = 0;
        for (int i = 0; i < len; i++) {
            float d = y.get(i) - s[off + i];
            deltaP.put(i, d);
            loss += (double) d * d;
        }
        return 0.5 * loss;
    }

    /**
     * One backward step (formula in the class comment) with the masks of {@code slot}: on entry deltaP = deltaP',
     * dualLast = deltaD', dualBefore = deltaD''; on exit deltaP = deltaP, dualLast = deltaD, dualBefore = deltaD'.
     * {@code first} marks the first step, where deltaD' = deltaD'' = 0 and the K^T dbarD term is skipped.
     * Modifies deltaP, dualBar, dualLast, dualBefore.
     */
    final void backwardStep(int batch, MaskBits maskP, MaskBits maskD, int slot, boolean first) {
        float sigma = solver.sigma();
        float tau = solver.tau();
        FloatBuffer kMat = solver.operator();
        int bn = batch * n;
        int bk = batch * k;
        if (!first) {
            float a = 1f + theta;
            float c = theta;
            for (int i = 0; i < bk; i++) {
                dualBar.put(i, a * dualLast.get(i) - c * dualBefore.get(i));
            }
            // deltaP' + sigma * dbarD * K   (rows: (K^T dbarD)^T = dbarD^T K)
            blas.sgemm(Transpose.NO, Transpose.NO, batch, n, k, sigma, dualBar, 0, k, kMat, 0, n, 1f, deltaP, 0, n);
        }
        maskP.apply(slot, deltaP, bn);
        // deltaD'' is no longer needed: its buffer becomes deltaD = maskD * (deltaD' - tau * deltaP * K^T)
        FloatBuffer next = dualBefore;
        next.put(0, dualLast, 0, bk);
        blas.sgemm(Transpose.NO, Transpose.YES, batch, k, n, -tau, deltaP, 0, n, kMat, 0, n, 1f, next, 0, k);
        maskD.apply(slot, next, bk);
        dualBefore = dualLast;
        dualLast = next;
    }

    static void zero(FloatBuffer buf, int len) {
        for (int i = 0; i < len; i++) {
            buf.put(i, 0f);
        }
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
        return 4L * workspaceFloats + extraBytes();
    }
}
