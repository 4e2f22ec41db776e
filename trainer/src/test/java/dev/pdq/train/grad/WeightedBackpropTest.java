package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Gradients;
import dev.pdq.train.loop.TrainConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full and truncated backpropagation seeded by the CELP-weighted loss: the float code against central differences
 * of the double reference (forward pass of {@link ReferenceUnroll}, loss of {@link ReferenceWeightedLoss}) and
 * against the reference recursions with the same seed (measured: the double reference 2.6e-10 from the differences,
 * the float code 2e-7 to 3e-7; full and truncated 1e-7 to 2e-6 from the reference recursions; tolerances as in
 * {@link BackpropTest}).
 */
class WeightedBackpropTest {
    /** Non-square (k = 20, n = 16), so a transposed K cannot pass; p = 4 < n. */
    private static final int K = 20;
    private static final int N = 16;
    private static final int ORDER = 4;
    private static final double WEIGHT = 0.6;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        Backends.all().forEach(blas -> {
            for (BackpropTest.Alpha alpha : BackpropTest.Alpha.values()) {
                for (int[] c : new int[][] {{1, 3}, {3, 7}, {4, 25}}) {
                    b.add(Arguments.of(blas, alpha, c[0], c[1]));
                }
            }
        });
        return b.build();
    }

    private static WeightedLoss loss() {
        return new WeightedLoss(N, ORDER, 0.9, 0.6, WEIGHT);
    }

    private static ReferenceWeightedLoss reference() {
        return new ReferenceWeightedLoss(ORDER, 0.9, 0.6, WEIGHT);
    }

    private static double run(GradientMethod m, Problems.Problem p, float[] grad) {
        return BackpropTest.run(m, p, grad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void fullBackpropagationMatchesFiniteDifferencesOfTheWeightedLoss(Blas blas) {
        int batch = 3;
        int iterations = 7;
        Problems.Problem p = Problems.roundedToFloat(ReferenceUnrollTest.awayFromKinks(60, K, N, batch, iterations));
        ReferenceUnroll ref = p.reference();
        ReferenceWeightedLoss wl = reference();
        double[][] kMat = p.kMat();
        double[][] fd = Problems.centralDifferences(kMat, () -> wl.totalLoss(ref.solve(p.x(), iterations), p.s()));
        // the double reference recursion with the weighted seed is the exact gradient (alpha = r) ...
        double refErr = Problems.relativeError(ref.fullGradient(p.x(), p.s(), iterations, p.r(), wl), fd);
        assertTrue(refErr <= ReferenceUnrollTest.FD_TOL, "reference: relative error " + refErr);
        // ... and so is the float code's
        float[] grad = new float[K * N];
        double got;
        try (FullBackprop full = new FullBackprop(blas, N, K, batch, iterations, (float) p.r(), loss())) {
            got = run(full, p, grad);
        }
        double err = Problems.relativeError(grad, fd);
        assertTrue(err <= BackpropTest.FLOAT_GRAD_TOL, "relative error " + err + " against finite differences");
        double exact = wl.totalLoss(ref.solve(p.x(), iterations), p.s());
        assertEquals(exact, got, BackpropTest.FLOAT_LOSS_TOL * exact, "weighted loss");
    }

    @ParameterizedTest(name = "{0} alpha {1} B = {2} L = {3}")
    @MethodSource("cases")
    void fullAndTruncatedMatchTheReferenceRecursions(Blas blas, BackpropTest.Alpha alpha, int batch, int iterations) {
        Problems.Problem p = Problems.roundedToFloat(Problems.random(90 + batch, K, N, batch, 4));
        float a = BackpropTest.alphaOf(alpha, p);
        ReferenceUnroll ref = p.reference();
        ReferenceWeightedLoss wl = reference();
        double exact = wl.totalLoss(ref.solve(p.x(), iterations), p.s());
        float[] grad = new float[K * N];
        try (FullBackprop full = new FullBackprop(blas, N, K, 4, iterations, a, loss())) {
            double got = run(full, p, grad);
            assertEquals(exact, got, BackpropTest.FLOAT_LOSS_TOL * exact, "full: loss");
        }
        double err = Problems.relativeError(grad, ref.fullGradient(p.x(), p.s(), iterations, a, wl));
        assertTrue(err <= BackpropTest.FLOAT_GRAD_TOL, "full: relative error " + err);
        for (int b : new int[] {1, 5, iterations + 3}) {
            try (TruncatedBackprop trunc = new TruncatedBackprop(blas, N, K, 4, iterations, b, a, loss())) {
                double got = run(trunc, p, grad);
                assertEquals(exact, got, BackpropTest.FLOAT_LOSS_TOL * exact, "truncated b = " + b + ": loss");
            }
            double terr = Problems.relativeError(grad, ref.truncatedGradient(p.x(), p.s(), iterations, b, a, wl));
            assertTrue(terr <= BackpropTest.FLOAT_GRAD_TOL, "truncated b = " + b + ": relative error " + terr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void workersBuiltByGradientsEachSeedWithTheConfiguredLoss(Blas blas) {
        // n = 12 at 16 kHz: the classic filter's order 10 fits (p < n); two workers against one method
        int n = 12;
        int k = 16;
        int batch = 5;
        int iterations = 9;
        Problems.Problem p = BackpropTest.problem(batch);
        TrainConfig cfg = TrainConfig.builder().mode(GradientMode.FULL).iterations(iterations).backpropSteps(1)
                .epochs(1).batch(batch).build();
        LossSpec spec = new LossSpec(LossSpec.Kind.WEIGHTED, 0.8);
        float[] split = new float[k * n];
        float[] single = new float[k * n];
        double splitLoss;
        double singleLoss;
        try (GradientMethod two = Gradients.create(blas, cfg, n, k, 2, (float) p.r(), spec, 16000);
             FullBackprop one = new FullBackprop(blas, n, k, batch, iterations, 1f, WeightedLoss.classic(n, 16000,
                     0.8))) {
            assertTrue(two instanceof ParallelGradient par && par.workers() == 2);
            assertTrue(two.loss() instanceof WeightedLoss);
            splitLoss = run(two, p, split);
            singleLoss = run(one, p, single);
        }
        assertEquals(singleLoss, splitLoss, 1e-6 * singleLoss);
        double err = Problems.relativeError(split, single);
        assertTrue(err <= 1e-5, "two workers against one: relative error " + err);
        // and the weighted gradient is not the squared error's
        float[] plain = new float[k * n];
        try (FullBackprop mse = new FullBackprop(blas, n, k, batch, iterations, 1f)) {
            run(mse, p, plain);
        }
        assertTrue(Problems.relativeError(plain, single) > 1e-2, "the loss changes the gradient");
    }
}
