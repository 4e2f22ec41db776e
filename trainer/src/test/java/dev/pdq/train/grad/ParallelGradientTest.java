package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splitting a batch over workers gives the single worker's loss and gradient. */
class ParallelGradientTest {
    /** Only the order of the float sums over frames differs. */
    static final double SPLIT_TOL = 1e-5;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void splitBatchEqualsOneWorker(Blas blas) {
        Problems.Problem p = BackpropTest.problem(5);
        float[] x = Problems.flat(p.x());
        float[] s = Problems.flat(p.s());
        for (boolean truncated : new boolean[] {false, true}) {
            GradientMethod single = truncated ? new TruncatedBackprop(blas, 12, 16, 5, 20, 6, 1f)
                    : new FullBackprop(blas, 12, 16, 5, 20, 1f);
            single.setOperator(Problems.flat(p.kMat()));
            for (int workers : new int[] {1, 2, 3}) {
                try (ParallelGradient par = ParallelGradient.of(workers, 5, per -> truncated
                        ? new TruncatedBackprop(blas, 12, 16, per, 20, 6, 1f)
                        : new FullBackprop(blas, 12, 16, per, 20, 1f))) {
                    par.setOperator(Problems.flat(p.kMat()));
                    assertEquals(single.sigma(), par.sigma());
                    assertEquals(single.tau(), par.tau());
                    // batches larger than, equal to and smaller than the number of workers, from an offset too
                    for (int[] c : new int[][] {{0, 5}, {1, 3}, {2, 1}, {3, 2}}) {
                        float[] one = new float[16 * 12];
                        float[] split = new float[16 * 12];
                        double l1 = single.lossAndGradient(x, s, c[0], c[1], (float) p.r(), one);
                        double l2 = par.lossAndGradient(x, s, c[0], c[1], (float) p.r(), split);
                        String what = (truncated ? "truncated" : "full") + " W = " + workers + " frames " + c[0]
                                + " + " + c[1];
                        assertEquals(l1, l2, SPLIT_TOL * l1, what);
                        double err = Problems.relativeError(split, one);
                        assertTrue(err <= SPLIT_TOL, what + ": relative error " + err);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void workerFailureReachesTheCaller(Blas blas) {
        try (ParallelGradient par = ParallelGradient.of(2, 4, per -> new TruncatedBackprop(blas, 12, 16, per, 5, 2,
                1f))) {
            par.setOperator(Problems.flat(BackpropTest.problem(4).kMat()));
            float[] x = new float[4 * 12];
            float[] s = new float[3 * 12]; // one frame short: the second worker's slice fails
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> par.lossAndGradient(x, s, 4, 0.1f, new float[16 * 12]));
            assertTrue(e.getMessage().contains("s has 36 floats"), e.getMessage());
        }
    }
}
