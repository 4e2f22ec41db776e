package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.solver.StepSizes;

import java.nio.FloatBuffer;

/**
 * Full backpropagation through L primal-dual iterations (Algorithm 2 and eq. 9 of Brauer and Lorenz, with the
 * corrected extrapolation term). Iteration l (1..L) of the forward pass maps ybar^{l-1}, psi^{l-1}, y^{l-1} to
 * zD^l, psi^l, zP^l, y^l; this class records ybar^{l-1}, psi^l and the masks maskD^l = [|zD^l| <= 1],
 * maskP^l = [zP^l - x in the cell] (widened for alpha, see {@link UnrolledBackprop}; as bits), then runs, from
 * deltaP^{L+1} = dl/dy^L (y^L - s for the squared error; see {@link Loss}), deltaD^{L+1} = deltaD^{L+2} = 0,
 *
 * <pre>
 *   for l = L .. 1:
 *       dbarD    = (1+theta) deltaD^{l+1} - theta deltaD^{l+2}
 *       deltaP^l = maskP^l * (deltaP^{l+1} + sigma K^T dbarD)
 *       deltaD^l = maskD^l * (deltaD^{l+1} - tau K deltaP^l)
 *       grad_K  += sigma deltaD^l (ybar^{l-1})^T - tau psi^l (deltaP^l)^T
 * </pre>
 *
 * summed over the frames of the batch (the outer products of B frames as rows are the gemms
 * deltaD^T (k x B) * Ybar (B x n) and Psi^T (k x B) * DeltaP (B x n), accumulated with beta = 1).
 * With alpha = r this is the exact gradient of the loss wherever no |zD| equals 1 and no |zP - x| equals r.
 *
 * <p>Cost: L forward iterations (2 gemms each) and L backward steps (4 gemms each). Memory grows with L:
 * L * B * (n + k) floats of history and L * B * (n + k) mask bits.
 */
public final class FullBackprop extends UnrolledBackprop {
    /** ybar^{l-1} for l = 1..L, B x n each. */
    private final FloatBuffer ybarHistory;
    /** psi^l for l = 1..L, B x k each. */
    private final FloatBuffer psiHistory;
    private final MaskBits maskP;
    private final MaskBits maskD;

    /** With the paper's theta = 1 and sigma/tau = 100. */
    public FullBackprop(Blas blas, int n, int k, int maxBatch, int iterations, float alpha) {
        this(blas, n, k, maxBatch, iterations, alpha, StepSizes.PAPER_THETA, StepSizes.PAPER_RATIO);
    }

    public FullBackprop(Blas blas, int n, int k, int maxBatch, int iterations, float alpha, float theta,
                        double stepRatio) {
        this(blas, n, k, maxBatch, iterations, alpha, theta, stepRatio, squaredError(n));
    }

    /** With the paper's theta and sigma/tau, seeded by {@code loss} (owned by this method from now on). */
    public FullBackprop(Blas blas, int n, int k, int maxBatch, int iterations, float alpha, Loss loss) {
        this(blas, n, k, maxBatch, iterations, alpha, StepSizes.PAPER_THETA, StepSizes.PAPER_RATIO, loss);
    }

    public FullBackprop(Blas blas, int n, int k, int maxBatch, int iterations, float alpha, float theta,
                        double stepRatio, Loss loss) {
        super("FullBackprop", blas, n, k, maxBatch, iterations, alpha, theta, stepRatio, loss);
        long historyFloats = (long) iterations * maxBatch * Math.max(n, k);
        if (historyFloats > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("FullBackprop: iterations * maxBatch * max(n, k) = " + historyFloats
                    + " floats of history do not fit one buffer; lower L or the batch");
        }
        this.ybarHistory = allocate(iterations * maxBatch * n);
        this.psiHistory = allocate(iterations * maxBatch * k);
        this.maskP = new MaskBits(iterations, maxBatch * n);
        this.maskD = new MaskBits(iterations, maxBatch * k);
    }

    @Override
    long extraBytes() {
        return maskP.bytes() + maskD.bytes();
    }

    @Override
    void forward(int batch) {
        int bn = batch * n;
        int bk = batch * k;
        for (int l = 0; l < iterations; l++) {
            ybarHistory.put(l * bn, solver.primalExtrapolatedBuffer(), 0, bn);
            solver.iterate();
            psiHistory.put(l * bk, solver.dualBuffer(), 0, bk);
            recordMasks(maskP, maskD, l, batch);
        }
    }

    @Override
    void backward(int batch) {
        float sigma = solver.sigma();
        float tau = solver.tau();
        int bn = batch * n;
        int bk = batch * k;
        for (int l = iterations - 1; l >= 0; l--) {
            backwardStep(batch, maskP, maskD, l, l == iterations - 1, true);
            float beta = l == iterations - 1 ? 0f : 1f;
            // grad += sigma * deltaD^T ybar^{l-1} - tau * psi^T deltaP, summed over the B frames
            blas.sgemm(Transpose.YES, Transpose.NO, k, n, batch, sigma, dualLastBuf, 0, k, ybarHistory, l * bn, n,
                    beta, grad, 0, n);
            blas.sgemm(Transpose.YES, Transpose.NO, k, n, batch, -tau, psiHistory, l * bk, k, deltaPBuf, 0, n,
                    1f, grad, 0, n);
        }
    }
}
