package dev.pdq.train.grad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The double-precision reference against finite differences of its own loss and against the golden vectors. */
class ReferenceUnrollTest {
    /** Central differences step on each entry of K. */
    static final double FD_STEP = 1e-6;
    /** Inputs whose |zD| or |zP - x| comes closer than this to a mask kink are rejected (FD_STEP moves z ~1e-5). */
    static final double KINK_MARGIN = 1e-3;
    /** Relative Frobenius error of the exact gradient against central differences (measured: 2e-10 to 5e-10). */
    static final double FD_TOL = 1e-6;
    /** Double reference against the NumPy golden vectors (both double; measured: 2e-15 to 6e-15). */
    static final double GOLDEN_DOUBLE_TOL = 1e-9;

    /** The first seed from {@code seed} whose iterates stay at least KINK_MARGIN away from every kink. */
    static Problems.Problem awayFromKinks(long seed, int k, int n, int batch, int iterations) {
        for (long s = seed; s < seed + 100; s++) {
            Problems.Problem p = Problems.random(s, k, n, batch, 4);
            if (p.reference().kinkMargin(p.x(), iterations, p.r()) >= KINK_MARGIN) {
                return p;
            }
        }
        fail("no seed in " + seed + "..+100 keeps the iterates " + KINK_MARGIN + " from the kinks");
        return null;
    }

    static double[][] finiteDifferences(Problems.Problem p, int iterations) {
        double[][] kMat = p.kMat();
        double[][] g = new double[kMat.length][kMat[0].length];
        for (int i = 0; i < kMat.length; i++) {
            for (int j = 0; j < kMat[0].length; j++) {
                double saved = kMat[i][j];
                kMat[i][j] = saved + FD_STEP;
                double up = p.reference().loss(p.x(), p.s(), iterations);
                kMat[i][j] = saved - FD_STEP;
                double down = p.reference().loss(p.x(), p.s(), iterations);
                kMat[i][j] = saved;
                g[i][j] = (up - down) / (2 * FD_STEP);
            }
        }
        return g;
    }

    @ParameterizedTest(name = "k = {0}, n = {1}, B = {2}, L = {3}")
    @CsvSource({"8, 8, 3, 8", "12, 8, 2, 12", "16, 16, 2, 6"})
    void exactFullGradientMatchesFiniteDifferences(int k, int n, int batch, int iterations) {
        Problems.Problem p = awayFromKinks(1000L * k + n, k, n, batch, iterations);
        ReferenceUnroll ref = p.reference();
        // the masks must be active somewhere, or the check would not exercise them
        long[] counts = ref.maskCounts(p.x(), iterations, p.r());
        assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0 && counts[3] > 0,
                "masks are trivial: " + java.util.Arrays.toString(counts));
        double[][] fd = finiteDifferences(p, iterations);
        double[][] g = ref.fullGradient(p.x(), p.s(), iterations, p.r());
        double err = Problems.relativeError(g, fd);
        assertTrue(err <= FD_TOL, "relative error against finite differences " + err);
    }

    @Test
    void paperMaskThresholdIsNotTheExactGradient() {
        // alpha = 1 lets through derivatives the projection blocks: the check above must be able to see that
        Problems.Problem p = awayFromKinks(8008, 8, 8, 3, 8);
        double[][] fd = finiteDifferences(p, 8);
        double[][] g = p.reference().fullGradient(p.x(), p.s(), 8, 1.0);
        assertTrue(Problems.relativeError(g, fd) > 1e-2, "alpha = 1 agrees with finite differences");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "grad_full_L20_exact.csv,    full,      20, 0, exact",
        "grad_full_L20_alpha1.csv,   full,      20, 0, 1",
        "grad_trunc_L20_b5_alpha1.csv,   truncated, 20, 5, 1",
        "grad_trunc_L100_b30_alpha1.csv, truncated, 100, 30, 1"})
    void matchesGoldenVectors(String file, String mode, int iterations, int b, String alpha) {
        double[][] x = GoldenVectors.csv("x.csv");
        double[][] s = GoldenVectors.csv("y.csv");
        double r = GoldenVectors.metaDouble("r");
        ReferenceUnroll ref = new ReferenceUnroll(GoldenVectors.csv("K.csv"), GoldenVectors.metaDouble("sigma"),
                GoldenVectors.metaDouble("tau"), GoldenVectors.metaDouble("theta"), r);
        double a = alpha.equals("exact") ? r : Double.parseDouble(alpha);
        double[][] g = mode.equals("full") ? ref.fullGradient(x, s, iterations, a)
                : ref.truncatedGradient(x, s, iterations, b, a);
        double err = Problems.relativeError(g, GoldenVectors.csv(file));
        assertTrue(err <= GOLDEN_DOUBLE_TOL, file + ": relative error " + err);
    }

    @Test
    void forwardMatchesGoldenVectors() {
        double[][] x = GoldenVectors.csv("x.csv");
        ReferenceUnroll ref = new ReferenceUnroll(GoldenVectors.csv("K.csv"), GoldenVectors.metaDouble("sigma"),
                GoldenVectors.metaDouble("tau"), 1.0, GoldenVectors.metaDouble("r"));
        double err = Problems.relativeError(ref.solve(x, 10), GoldenVectors.csv("forward_K_L10.csv"));
        assertTrue(err <= GOLDEN_DOUBLE_TOL, "forward L = 10: relative error " + err);
    }
}
