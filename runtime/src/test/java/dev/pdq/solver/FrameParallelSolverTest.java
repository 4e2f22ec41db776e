package dev.pdq.solver;

import static dev.pdq.solver.PrimalDualTest.gaussian;
import static dev.pdq.solver.PrimalDualTest.quantizedFrames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.Quantizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameParallelSolverTest {
    private static final String BACKENDS = "dev.pdq.testing.Backends#all";
    private static final int N = 32;
    private static final int K = 40;
    private static final float THETA = 1f;
    private static final double RATIO = 100.0;

    private static FrameParallelSolver parallel(Blas blas, float[] kMat, int maxBatch, int parts) {
        PrimalDual[] p = new PrimalDual[parts];
        for (int w = 0; w < parts; w++) {
            p[w] = new PrimalDual(blas, N, K, FrameParallelSolver.share(maxBatch, parts), THETA, RATIO);
            p[w].setOperator(kMat, 0, SpectralNorm.of(kMat, K, N));
        }
        return new FrameParallelSolver(p, maxBatch);
    }

    /**
     * The reference: frames [p*b/W, (p+1)*b/W) of each part solved by a PrimalDual of its own, one after another on
     * this thread, on the same backend.
     */
    private static float[] slices(Blas blas, float[] kMat, float[] x, float[] below, float[] above, int batch,
                                  int parts, int iterations) {
        float[] y = new float[batch * N];
        for (int p = 0; p < parts; p++) {
            int first = p * batch / parts;
            int count = (p + 1) * batch / parts - first;
            if (count == 0) {
                continue;
            }
            PrimalDual pd = new PrimalDual(blas, N, K, count, THETA, RATIO);
            pd.setOperator(kMat, 0, SpectralNorm.of(kMat, K, N));
            pd.load(x, below, above, first * N, count, 1f / 16);
            pd.solve(iterations);
            pd.readPrimal(y, first * N);
        }
        return y;
    }

    private static float[] cells(int len, float half) {
        float[] c = new float[len];
        Arrays.fill(c, half);
        return c;
    }

    /** Every batch size from 1 (fewer frames than parts) up, each part's slice exactly as its own solver gives it. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void eachPartSolvesItsSliceExactlyAsASolverOfItsOwn(Blas blas) {
        float[] kMat = gaussian(K * N, 1, 1f);
        int maxBatch = 9;
        float[] x = quantizedFrames(maxBatch * N, 2, new Quantizer(4));
        float[] below = cells(x.length, -1f / 32);
        float[] above = cells(x.length, 1f / 32);
        for (int parts = 2; parts <= 3; parts++) {
            try (FrameParallelSolver fp = parallel(blas, kMat, maxBatch, parts)) {
                for (int batch = 1; batch <= maxBatch; batch++) {
                    fp.load(x, below, above, 0, batch, 1f / 16);
                    fp.solve(20);
                    float[] y = new float[batch * N];
                    fp.readPrimal(y, 0);
                    assertArrayEquals(slices(blas, kMat, x, below, above, batch, parts, 20), y,
                            "batch " + batch + ", " + parts + " parts");
                }
            }
        }
    }

    /** Many hand-offs in a row (a race between a batch's end and the next start would show as a wrong or stuck batch). */
    @Test
    void manyBatchesInARowStayExact() {
        Blas blas = new JavaBlas();
        float[] kMat = gaussian(K * N, 3, 1f);
        float[] x = quantizedFrames(4 * N, 4, new Quantizer(4));
        float[] below = cells(x.length, -1f / 32);
        float[] above = cells(x.length, 1f / 32);
        float[] expected = slices(blas, kMat, x, below, above, 4, 2, 3);
        float[] y = new float[4 * N];
        try (FrameParallelSolver fp = parallel(blas, kMat, 4, 2)) {
            for (int i = 0; i < 2000; i++) {
                Arrays.fill(y, Float.NaN);
                fp.load(x, below, above, 0, 4, 1f / 16);
                fp.solve(3);
                fp.readPrimal(y, 0);
                assertArrayEquals(expected, y, "batch " + i);
            }
        }
    }

    @Test
    void closeStopsTheThreadsAndLaterSolvesFail() {
        float[] kMat = gaussian(K * N, 5, 1f);
        FrameParallelSolver fp = parallel(new JavaBlas(), kMat, 6, 3);
        assertEquals(3, fp.threads());
        assertEquals(2, fp.threadsAlive(), "the caller runs part 0, a thread each the others");
        fp.close();
        assertEquals(0, fp.threadsAlive());
        assertThrows(IllegalStateException.class, () -> fp.solve(1));
    }

    @Test
    void refusesFewerThanTwoPartsAndBatchesBeyondItsSize() {
        float[] kMat = gaussian(K * N, 6, 1f);
        PrimalDual one = new PrimalDual(new JavaBlas(), N, K, 4, THETA, RATIO);
        assertThrows(IllegalArgumentException.class, () -> new FrameParallelSolver(new PrimalDual[] {one}, 4));
        try (FrameParallelSolver fp = parallel(new JavaBlas(), kMat, 4, 2)) {
            float[] x = new float[5 * N];
            assertThrows(IllegalArgumentException.class, () -> fp.load(x, x, x, 0, 5, 1f / 16));
            assertThrows(IllegalArgumentException.class, () -> fp.load(x, x, x, 0, 0, 1f / 16));
        }
    }
}
