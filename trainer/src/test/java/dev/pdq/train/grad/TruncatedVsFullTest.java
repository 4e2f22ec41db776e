package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Truncated backpropagation with b = L equals full backpropagation on a converged problem. Why and when (see
 * {@link TruncatedBackprop}): the two recursions differ only in using ybar^{l-1}, psi^l and the masks of iteration l
 * instead of those of iteration L. Once the iterates have converged those agree for all late l; the early,
 * unconverged l only matter through deltaP^l, deltaD^l, which decay geometrically backwards from L when the
 * recursion with the final masks contracts: with alpha = r on a problem whose iterates converge linearly (here
 * k = n = 8: max |y^L - y^{L-1}| about 1e-14 at L = 600). With alpha = 1 the primal mask is all ones, the recursion
 * keeps a component that does not decay, both gradients grow like L and agree only to O(1/L).
 */
class TruncatedVsFullTest {
    static final int N = 8;
    static final int BATCH = 4;
    static final long SEED = 0;
    static final int L = 600;
    /** The forward pass counts as converged when no sample moves by more than this in the last iteration. */
    static final double CONVERGED_STEP = 1e-10;
    /** Full against truncated with b = L in double on the converged problem (measured 2e-11). */
    static final double DOUBLE_TOL = 1e-6;
    /** The same in float: both float gradients against each other (measured 8e-7). */
    static final double FLOAT_TOL = 1e-3;

    static Problems.Problem converged() {
        Problems.Problem p = Problems.roundedToFloat(Problems.random(SEED, N, N, BATCH, 4));
        ReferenceUnroll ref = p.reference();
        double step = 0;
        for (double[] frame : p.x()) {
            List<ReferenceUnroll.Step> st = ref.forward(frame, L);
            double[] a = st.get(L - 1).y;
            double[] b = st.get(L - 2).y;
            for (int j = 0; j < N; j++) {
                step = Math.max(step, Math.abs(a[j] - b[j]));
            }
        }
        assertTrue(step <= CONVERGED_STEP, "premise: the forward pass has not converged, last step " + step);
        long[] masks = ref.maskCounts(p.x(), L, p.r());
        assertTrue(masks[0] > 0 && masks[1] > 0 && masks[2] > 0 && masks[3] > 0, "premise: trivial masks");
        return p;
    }

    @Test
    void referenceTruncatedEqualsFullWhenConverged() {
        Problems.Problem p = converged();
        ReferenceUnroll ref = p.reference();
        double[][] full = ref.fullGradient(p.x(), p.s(), L, p.r());
        double[][] trunc = ref.truncatedGradient(p.x(), p.s(), L, L, p.r());
        double err = Problems.relativeError(trunc, full);
        assertTrue(err <= DOUBLE_TOL, "relative difference " + err);
    }

    @Test
    void withPaperThresholdAgreementIsOnlyOrderOneOverL() {
        Problems.Problem p = converged();
        ReferenceUnroll ref = p.reference();
        int shortL = L / 4;
        double errShort = Problems.relativeError(ref.truncatedGradient(p.x(), p.s(), shortL, shortL, 1.0),
                ref.fullGradient(p.x(), p.s(), shortL, 1.0));
        double errLong = Problems.relativeError(ref.truncatedGradient(p.x(), p.s(), L, L, 1.0),
                ref.fullGradient(p.x(), p.s(), L, 1.0));
        assertTrue(errLong > DOUBLE_TOL, "alpha = 1 agrees to " + errLong);
        assertTrue(errLong < 0.5 * errShort, "4 times L did not halve the difference: " + errShort + " -> " + errLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void floatTruncatedEqualsFullWhenConverged(Blas blas) {
        Problems.Problem p = converged();
        float alpha = (float) p.r();
        float[] full = new float[N * N];
        float[] trunc = new float[N * N];
        BackpropTest.run(new FullBackprop(blas, N, N, BATCH, L, alpha), p, full);
        BackpropTest.run(new TruncatedBackprop(blas, N, N, BATCH, L, L, alpha), p, trunc);
        double err = Problems.relativeError(trunc, full);
        assertTrue(err <= FLOAT_TOL, "relative difference " + err);
        double refErr = Problems.relativeError(full, p.reference().fullGradient(p.x(), p.s(), L, p.r()));
        assertTrue(refErr <= BackpropTest.FLOAT_GRAD_TOL, "full against the reference: " + refErr);
    }
}
