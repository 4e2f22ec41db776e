package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float Blas implementations of full and truncated backpropagation against the double reference. */
class BackpropTest {
    /**
     * Relative Frobenius error of a float gradient against the double one on the same (float-rounded) inputs
     * (measured: 2e-7 to 3e-5; the golden vectors README expects about 1e-3 from float code).
     */
    static final double FLOAT_GRAD_TOL = 1e-3;
    /** Relative error of the float loss. */
    static final double FLOAT_LOSS_TOL = 1e-4;

    enum Alpha { EXACT, PAPER }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        Backends.all().forEach(blas -> {
            for (Alpha alpha : Alpha.values()) {
                for (int[] c : new int[][] {{1, 1}, {1, 7}, {3, 7}, {5, 25}, {4, 60}}) {
                    b.add(Arguments.of(blas, alpha, c[0], c[1]));
                }
            }
        });
        return b.build();
    }

    /** A non-square problem (k = 16, n = 12) so that a transposed K cannot pass. */
    static Problems.Problem problem(int batch) {
        return Problems.roundedToFloat(Problems.random(42 + batch, 16, 12, batch, 4));
    }

    static float alphaOf(Alpha a, Problems.Problem p) {
        return a == Alpha.EXACT ? (float) p.r() : 1f;
    }

    /** Runs m on p with p's steps; returns {loss} and fills grad. */
    static double run(GradientMethod m, Problems.Problem p, float[] grad) {
        m.setOperator(Problems.flat(p.kMat()));
        m.setSteps((float) p.sigma(), (float) p.tau());
        return m.lossAndGradient(Problems.flat(p.x()), Problems.flat(p.s()), p.x().length, (float) p.r(), grad);
    }

    @ParameterizedTest(name = "{0} alpha {1} B = {2} L = {3}")
    @MethodSource("cases")
    void fullMatchesReference(Blas blas, Alpha alpha, int batch, int iterations) {
        Problems.Problem p = problem(batch);
        float a = alphaOf(alpha, p);
        FullBackprop full = new FullBackprop(blas, 12, 16, 6, iterations, a);
        float[] grad = new float[16 * 12];
        double loss = run(full, p, grad);
        ReferenceUnroll ref = p.reference();
        double err = Problems.relativeError(grad, ref.fullGradient(p.x(), p.s(), iterations, a));
        assertTrue(err <= FLOAT_GRAD_TOL, "relative error " + err);
        double refLoss = ref.loss(p.x(), p.s(), iterations);
        assertEquals(refLoss, loss, FLOAT_LOSS_TOL * refLoss);
    }

    @ParameterizedTest(name = "{0} alpha {1} B = {2} L = {3}")
    @MethodSource("cases")
    void truncatedMatchesReference(Blas blas, Alpha alpha, int batch, int iterations) {
        Problems.Problem p = problem(batch);
        float a = alphaOf(alpha, p);
        ReferenceUnroll ref = p.reference();
        for (int b : new int[] {1, 5, iterations + 3}) {
            TruncatedBackprop trunc = new TruncatedBackprop(blas, 12, 16, 6, iterations, b, a);
            float[] grad = new float[16 * 12];
            double loss = run(trunc, p, grad);
            double err = Problems.relativeError(grad, ref.truncatedGradient(p.x(), p.s(), iterations, b, a));
            assertTrue(err <= FLOAT_GRAD_TOL, "b = " + b + ": relative error " + err);
            double refLoss = ref.loss(p.x(), p.s(), iterations);
            assertEquals(refLoss, loss, FLOAT_LOSS_TOL * refLoss);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void repeatedCallsAndOffsetsGiveTheSameResult(Blas blas) {
        // workspace is reused: a second call, and the same frames taken from an offset, must not see the first
        Problems.Problem p = problem(5);
        for (GradientMethod m : new GradientMethod[] {new FullBackprop(blas, 12, 16, 5, 9, 1f),
                new TruncatedBackprop(blas, 12, 16, 5, 9, 4, 1f)}) {
            float[] first = new float[16 * 12];
            double loss = run(m, p, first);
            float[] x = Problems.flat(p.x());
            float[] s = Problems.flat(p.s());
            float[] again = new float[16 * 12];
            m.lossAndGradient(x, s, 2, 3, (float) p.r(), again); // a different batch in between
            assertEquals(loss, m.lossAndGradient(x, s, 5, (float) p.r(), again));
            assertEquals(0.0, Problems.relativeError(again, first));
            // frames 2..4 from an offset equal frames 2..4 copied to the front
            float[] tail = new float[16 * 12];
            double tailLoss = m.lossAndGradient(x, s, 2, 3, (float) p.r(), tail);
            float[] xs = java.util.Arrays.copyOfRange(x, 2 * 12, 5 * 12);
            float[] ss = java.util.Arrays.copyOfRange(s, 2 * 12, 5 * 12);
            float[] front = new float[16 * 12];
            assertEquals(tailLoss, m.lossAndGradient(xs, ss, 3, (float) p.r(), front));
            assertEquals(0.0, Problems.relativeError(front, tail));
        }
    }
}
