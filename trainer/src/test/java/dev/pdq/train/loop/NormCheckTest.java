package dev.pdq.train.loop;

import dev.pdq.operator.Dct;
import dev.pdq.operator.Operator;
import dev.pdq.solver.StepSizes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact-norm check against matrices whose singular values are known by construction: diag(s) C and [C; eps C]
 * with C the orthonormal DCT-II, whose singular values are |s_i| and sqrt(1 + eps^2).
 */
class NormCheckTest {
    private static final int N = 32;

    @Test
    void theSvdNormIsTheLargestScaleOfRotatedRows() {
        float[] c = Dct.orthonormalDct2(N);
        float[] k = new float[N * N];
        double[] s = new double[N];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < N; i++) {
            s[i] = 0.1 + random.nextDouble() * 2;
            for (int j = 0; j < N; j++) {
                k[i * N + j] = (float) (s[i] * c[i * N + j]);
            }
        }
        double largest = Arrays.stream(s).max().getAsDouble();
        // float K rounds each element: its singular values differ from s by about 1e-7 relative
        assertEquals(largest, NormCheck.exactNorm(k, N, N), 1e-6 * largest);
    }

    @Test
    void anOvercompleteStackOfTwoRotationsHasNormSqrtOnePlusEpsSquared() {
        float eps = 0.5f;
        float[] c = Dct.orthonormalDct2(N);
        float[] k = Arrays.copyOf(c, 2 * N * N);
        for (int i = 0; i < N * N; i++) {
            k[N * N + i] = eps * c[i];
        }
        Operator op = new Operator(N, 2 * N, 4, 16000, 1.0, 100, 10, 1, "test", k);
        NormCheck check = NormCheck.of(op);
        assertEquals(Math.sqrt(1 + eps * eps), check.exact(), 1e-6);
        assertEquals(check.exact(), check.fileEstimate(), 1e-6 * check.exact());
        assertEquals(check.exact(), check.solverEstimate(), 1e-5 * check.exact());
        assertEquals((double) check.sigma() * check.tau() * check.exact() * check.exact(), check.product(), 0);
        // steps from a right estimate give SAFETY^2
        assertEquals(StepSizes.SAFETY * StepSizes.SAFETY, check.product(), 1e-5);
        assertTrue(check.holds(), check.describe());
        assertTrue(check.describe().contains("< 1"), check.describe());
    }

    @Test
    void stepsFromAnEstimateTwoPercentLowFailTheCheck() {
        double exact = 2.0;
        double low = 0.98 * exact;
        double ratio = 100;
        float sigma = (float) (Math.sqrt(ratio) * StepSizes.SAFETY / low);
        float tau = (float) (StepSizes.SAFETY / (Math.sqrt(ratio) * low));
        NormCheck check = new NormCheck(exact, low, low, sigma, tau);
        assertFalse(check.holds(), check.describe());
        assertEquals(0.02, check.shortfall(), 1e-12);
        assertTrue(check.describe().contains(">= 1"), check.describe());
    }
}
