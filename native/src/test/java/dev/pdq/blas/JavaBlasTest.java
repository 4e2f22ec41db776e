package dev.pdq.blas;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is particular to the Java backend: its row split over threads, its per-thread scratch, buffer kinds. */
class JavaBlasTest {

    private static final int M = 64, N = 320, K = 320;

    private static float[] random(int length, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = 2f * rnd.nextFloat() - 1f;
        }
        return v;
    }

    /** C = A * B^T + 0.5 C, the solver's shape, on the given backend and buffers; returns C. */
    private static float[] gemm(JavaBlas blas, boolean direct, float[] a, float[] b, float[] c0) {
        FloatBuffer fa = buffer(a, direct), fb = buffer(b, direct), fc = buffer(c0, direct);
        blas.sgemm(Transpose.NO, Transpose.YES, M, N, K, 1.25f, fa, 0, K, fb, 0, K, 0.5f, fc, 0, N);
        float[] out = new float[M * N];
        fc.get(0, out);
        return out;
    }

    private static FloatBuffer buffer(float[] v, boolean direct) {
        FloatBuffer buf = direct ? BlasBackends.directBuffer(v.length) : FloatBuffer.allocate(v.length);
        buf.put(0, v);
        return buf;
    }

    /** Each row of C is computed the same way whichever thread computes it: the split changes no bit. */
    @Test
    void splitOverThreadsGivesTheSameBits() {
        assertTrue((long) M * N * K >= JavaBlas.PARALLEL_MIN_MULADDS, "shape too small to be split");
        float[] a = random(M * K, 1), b = random(N * K, 2), c = random(M * N, 3);
        float[] one = gemm(new JavaBlas(1), false, a, b, c);
        assertArrayEquals(one, gemm(new JavaBlas(2), false, a, b, c));
        assertArrayEquals(one, gemm(new JavaBlas(3), false, a, b, c));
    }

    @Test
    void heapAndDirectBuffersGiveTheSameBits() {
        float[] a = random(M * K, 4), b = random(N * K, 5), c = random(M * N, 6);
        JavaBlas blas = new JavaBlas();
        assertArrayEquals(gemm(blas, false, a, b, c), gemm(blas, true, a, b, c));
    }

    /** Callers on several threads share one instance; per-thread scratch keeps them apart. */
    @Test
    void concurrentCallersDoNotDisturbEachOther() throws Exception {
        JavaBlas blas = new JavaBlas(2);
        float[] a = random(M * K, 7), b = random(N * K, 8), c = random(M * N, 9);
        float[] expected = gemm(new JavaBlas(1), false, a, b, c);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                boolean direct = t % 2 == 0;
                results.add(callers.submit(() -> gemm(blas, direct, a, b, c)));
            }
            for (Future<float[]> r : results) {
                assertArrayEquals(expected, r.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void negativeThreadCountRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JavaBlas(-1));
        assertTrue(e.getMessage().contains("threads = -1"), e.getMessage());
    }
}
