package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workspace sizes (a count of allocated bytes, not a timing): truncated is flat in L, full grows linearly. */
class WorkspaceTest {
    static final int N = 32;
    static final int K = 24;
    static final int BATCH = 8;
    static final int[] ITERATIONS = {10, 100, 1000};

    @Test
    void truncatedDoesNotGrowWithL() {
        Blas blas = new JavaBlas();
        long first = new TruncatedBackprop(blas, N, K, BATCH, ITERATIONS[0], 30, 1f).workspaceBytes();
        for (int l : ITERATIONS) {
            assertEquals(first, new TruncatedBackprop(blas, N, K, BATCH, l, 30, 1f).workspaceBytes(), "L = " + l);
        }
    }

    @Test
    void fullGrowsByOneIterationOfHistoryPerIteration() {
        Blas blas = new JavaBlas();
        // ybar^{l-1} (B x n) and psi^l (B x k) as floats, maskP^l and maskD^l as bits in 64-bit words
        long perIteration = 4L * BATCH * (N + K) + 8L * ((BATCH * N + 63) / 64 + (BATCH * K + 63) / 64);
        long first = new FullBackprop(blas, N, K, BATCH, ITERATIONS[0], 1f).workspaceBytes();
        long truncated = new TruncatedBackprop(blas, N, K, BATCH, ITERATIONS[0], 30, 1f).workspaceBytes();
        for (int l : ITERATIONS) {
            long full = new FullBackprop(blas, N, K, BATCH, l, 1f).workspaceBytes();
            assertEquals(first + (l - ITERATIONS[0]) * perIteration, full, "L = " + l);
            assertTrue(full > truncated, "L = " + l);
        }
    }

    @Test
    void parallelWorkspaceIsTheWorkersPlusTheirGradients() {
        Blas blas = new JavaBlas();
        try (ParallelGradient par = ParallelGradient.of(2, BATCH,
                per -> new TruncatedBackprop(blas, N, K, per, 50, 10, 1f))) {
            long worker = new TruncatedBackprop(blas, N, K, BATCH / 2, 50, 10, 1f).workspaceBytes();
            assertEquals(2 * worker + 2 * 4L * N * K, par.workspaceBytes());
        }
    }
}
