package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.solver.StepSizes;

import java.nio.FloatBuffer;

/**
 * Truncated backpropagation (Theorem 2 of Brauer and Lorenz): L forward iterations keeping only the final state
 * y^L, psi^L, zP^L, zD^L (the solver's own buffers), then b backward steps with the masks frozen at
 * maskP = [zP^L - x in the cell] (widened for alpha, see {@link UnrolledBackprop}), maskD = [|zD^L| <= 1]:
 *
 * <pre>
 *   deltaP^(0) = dl/dy^L (y^L - s for the squared error),  deltaD^(0) = deltaD^(-1) = 0
 *   for j = 1 .. b:
 *       dbarD      = (1+theta) deltaD^(j-1) - theta deltaD^(j-2)
 *       deltaP^(j) = maskP * (deltaP^(j-1) + sigma K^T dbarD)
 *       deltaD^(j) = maskD * (deltaD^(j-1) - tau K deltaP^(j))
 *   DeltaP = sum_{j=1..b} deltaP^(j),  DeltaD = sum_{j=1..b} deltaD^(j)
 *   grad_K = sigma DeltaD (y^L)^T - tau psi^L (DeltaP)^T      (summed over the frames: two gemms)
 * </pre>
 *
 * That is the full recursion's last b steps with every l-dependent quantity replaced by its value at L
 * (ybar^{l-1} and psi^l by y^L and psi^L): the seed dl/dy^L itself is not summed, and dbarD carries the
 * extrapolation term exactly as the full recursion does. This indexing reproduces the golden vectors
 * grad_trunc_L20_b5_alpha1 and grad_trunc_L100_b30_alpha1 to 1e-14 in double; dropping the extrapolation
 * (dbarD = deltaD^(j-1)) or also summing the seed misses them by 4 to 24 %.
 *
 * <p>When it equals full backpropagation with b = L: if the forward iterates have converged to a point where the
 * masks no longer change and the backward recursion with those masks is a contraction (alpha = r on a problem
 * whose iterates converge linearly), the deltas of the full recursion decay geometrically from l = L backwards while
 * ybar^{l-1}, psi^l, and the masks approach their final values, so the terms that differ are multiplied by
 * vanishing deltas. With alpha = 1 the primal mask is all ones, the recursion keeps a non-decaying component,
 * both gradients grow like L and differ by O(1) from the early, unconverged terms: relative agreement only O(1/L).
 *
 * <p>Cost: L forward iterations (2 gemms each), b backward steps (2 gemms each) and 2 gemms. Memory does not
 * depend on L: beyond the solver and the k x n gradient, a few B x n and B x k arrays and buffers and one batch of
 * mask bits.
 */
public final class TruncatedBackprop extends UnrolledBackprop {
    private final int backwardSteps;
    private final float[] sumP;
    private final float[] sumD;
    private final FloatBuffer sumPBuf;
    private final FloatBuffer sumDBuf;
    /** y^L in the backend's memory, for the gradient's product. */
    private final FloatBuffer finalPrimal;
    private final MaskBits maskP;
    private final MaskBits maskD;

    /** With the paper's theta = 1 and sigma/tau = 100. */
    public TruncatedBackprop(Blas blas, int n, int k, int maxBatch, int iterations, int backwardSteps, float alpha) {
        this(blas, n, k, maxBatch, iterations, backwardSteps, alpha, StepSizes.PAPER_THETA, StepSizes.PAPER_RATIO);
    }

    public TruncatedBackprop(Blas blas, int n, int k, int maxBatch, int iterations, int backwardSteps, float alpha,
                             float theta, double stepRatio) {
        this(blas, n, k, maxBatch, iterations, backwardSteps, alpha, theta, stepRatio, squaredError(n));
    }

    /** With the paper's theta and sigma/tau, seeded by {@code loss} (owned by this method from now on). */
    public TruncatedBackprop(Blas blas, int n, int k, int maxBatch, int iterations, int backwardSteps, float alpha,
                             Loss loss) {
        this(blas, n, k, maxBatch, iterations, backwardSteps, alpha, StepSizes.PAPER_THETA, StepSizes.PAPER_RATIO, loss);
    }

    public TruncatedBackprop(Blas blas, int n, int k, int maxBatch, int iterations, int backwardSteps, float alpha,
                             float theta, double stepRatio, Loss loss) {
        super("TruncatedBackprop", blas, n, k, maxBatch, iterations, alpha, theta, stepRatio, loss);
        if (backwardSteps < 1) {
            throw new IllegalArgumentException("TruncatedBackprop: backwardSteps = " + backwardSteps
                    + " must be at least 1");
        }
        this.backwardSteps = backwardSteps;
        this.sumP = heap(maxBatch * n);
        this.sumD = heap(maxBatch * k);
        this.sumPBuf = allocate(maxBatch * n);
        this.sumDBuf = allocate(maxBatch * k);
        this.finalPrimal = allocate(maxBatch * n);
        this.maskP = new MaskBits(1, maxBatch * n);
        this.maskD = new MaskBits(1, maxBatch * k);
    }

    /** b, the number of backward steps. */
    public int backwardSteps() {
        return backwardSteps;
    }

    @Override
    long extraBytes() {
        return maskP.bytes() + maskD.bytes();
    }

    @Override
    void forward(int batch) {
        solver.solve(iterations);
        recordMasks(maskP, maskD, 0, batch);
    }

    @Override
    void backward(int batch) {
        int bn = batch * n;
        int bk = batch * k;
        java.util.Arrays.fill(sumP, 0, bn, 0f);
        java.util.Arrays.fill(sumD, 0, bk, 0f);
        for (int j = 1; j <= backwardSteps; j++) {
            backwardStep(batch, maskP, maskD, 0, j == 1, false);
            add(sumP, deltaP, bn);
            add(sumD, dualLast, bk);
        }
        // grad = sigma * DeltaD^T y^L - tau * (psi^L)^T DeltaP, summed over the B frames
        sumDBuf.put(0, sumD, 0, bk);
        sumPBuf.put(0, sumP, 0, bn);
        finalPrimal.put(0, solver.primal(), 0, bn);
        blas.sgemm(Transpose.YES, Transpose.NO, k, n, batch, solver.sigma(), sumDBuf, 0, k, finalPrimal, 0, n,
                0f, grad, 0, n);
        blas.sgemm(Transpose.YES, Transpose.NO, k, n, batch, -solver.tau(), solver.dualBuffer(), 0, k, sumPBuf, 0,
                n, 1f, grad, 0, n);
    }

    /** sum[i] += v[i] for i < len. Modifies sum. */
    private static void add(float[] sum, float[] v, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] += v[i];
        }
    }
}
