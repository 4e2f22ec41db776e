package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float Blas gradients against the NumPy golden vectors (8 frames of 320 samples, K = DCT + noise). */
class GoldenGradientTest {
    /** Relative Frobenius error of a float gradient against a double golden one (README: about 1e-3; measured 1e-6 to 2.3e-6). */
    static final double GOLDEN_FLOAT_TOL = 1e-3;

    static Stream<Arguments> cases() {
        return Backends.all().flatMap(blas -> Stream.of(
                Arguments.of(blas, "grad_full_L20_exact.csv", 20, 0, true),
                Arguments.of(blas, "grad_full_L20_alpha1.csv", 20, 0, false),
                Arguments.of(blas, "grad_trunc_L20_b5_alpha1.csv", 20, 5, false),
                Arguments.of(blas, "grad_trunc_L100_b30_alpha1.csv", 100, 30, false)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesGoldenVector(Blas blas, String file, int iterations, int b, boolean exact) {
        float[] x = Problems.flat(GoldenVectors.csv("x.csv"));
        float[] s = Problems.flat(GoldenVectors.csv("y.csv"));
        float[] kMat = Problems.flat(GoldenVectors.csv("K.csv"));
        int n = (int) GoldenVectors.metaDouble("n");
        int k = (int) GoldenVectors.metaDouble("k");
        float r = (float) GoldenVectors.metaDouble("r");
        float alpha = exact ? r : 1f;
        int batch = x.length / n;
        GradientMethod m = b == 0 ? new FullBackprop(blas, n, k, batch, iterations, alpha)
                : new TruncatedBackprop(blas, n, k, batch, iterations, b, alpha);
        m.setOperator(kMat);
        m.setSteps((float) GoldenVectors.metaDouble("sigma"), (float) GoldenVectors.metaDouble("tau"));
        float[] grad = new float[k * n];
        m.lossAndGradient(x, s, batch, r, grad);
        double err = Problems.relativeError(grad, GoldenVectors.csv(file));
        assertTrue(err <= GOLDEN_FLOAT_TOL, file + ": relative error " + err);
    }
}
