package dev.pdq.blas;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Pure-Java BLAS, written for what C2 (JDK 17) auto-vectorizes.
 *
 * <p>JDK 17's SuperWord only vectorizes a loop whose array accesses all share the same index, with no
 * loop-invariant offset ({@code c[j] += a * b[j]} vectorizes, {@code c[ci + j] += a * b[bi + j]} runs scalar, about
 * ten times slower). So every hot loop here works on zero-offset scratch rows: the rows of op(B) are packed into
 * separate float[] rows once per call, each row of C is copied into a scratch row, updated by axpy loops four
 * rows of op(B) at a time, and copied back. Rows move with the absolute bulk get/put of FloatBuffer, which is
 * System.arraycopy for heap buffers and a memory copy for direct ones, so both kinds take the same path.
 *
 * <p>Large sgemm calls split the rows of C over {@link #threads()} threads (the caller and a small shared pool of
 * daemon threads). Scratch memory is per thread and kept between calls, so steady-state calls allocate nothing
 * but the fork/join tasks of a split call.
 */
public final class JavaBlas extends AbstractBlas {

    /** Below this many multiply-adds a sgemm call runs on the calling thread: forking costs some microseconds. */
    static final long PARALLEL_MIN_MULADDS = 1L << 20;

    private static final int UNROLL = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static volatile ForkJoinPool pool;

    private final int threads;

    /** Uses up to two threads (fewer on a single-core machine). */
    public JavaBlas() {
        this(0);
    }

    /**
     * @param threads threads for large sgemm calls; 0 means min(2, available processors)
     */
    public JavaBlas(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("JavaBlas: threads = " + threads + " is negative");
        }
        this.threads = threads > 0 ? threads : Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    /** Number of threads a large sgemm call is split over. */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String description() {
        return "pure Java, " + threads + (threads == 1 ? " thread" : " threads");
    }

    @Override
    public FloatBuffer allocate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: length = " + length + " is negative");
        }
        return FloatBuffer.allocate(length);
    }

    @Override
    protected void doSgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                           FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff) {
        Scratch s = SCRATCH.get();
        int yLen = trans.transposed() ? n : m;
        int xLen = trans.transposed() ? m : n;
        float[] ys = s.row(0, yLen);
        y.get(yOff, ys, 0, yLen);
        scale(ys, yLen, beta);
        if (alpha != 0f && xLen > 0) {
            float[] xs = s.vector(xLen);
            x.get(xOff, xs, 0, xLen);
            if (trans.transposed()) {
                gemvTransposed(m, n, alpha, a, aOff, lda, xs, ys, s);
            } else {
                gemvPlain(m, n, alpha, a, aOff, lda, xs, ys, s);
            }
        }
        y.put(yOff, ys, 0, yLen);
    }

    /** ys[i] += alpha * dot(A row i, xs): four rows at a time, so each x[j] is loaded once per four rows. */
    private static void gemvPlain(int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                                  float[] xs, float[] ys, Scratch s) {
        float[] r0 = s.row(1, n), r1 = s.row(2, n), r2 = s.row(3, n), r3 = s.row(4, n);
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int base = aOff + i * lda;
            a.get(base, r0, 0, n);
            a.get(base + lda, r1, 0, n);
            a.get(base + 2 * lda, r2, 0, n);
            a.get(base + 3 * lda, r3, 0, n);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int j = 0; j < n; j++) {
                float xj = xs[j];
                s0 += r0[j] * xj;
                s1 += r1[j] * xj;
                s2 += r2[j] * xj;
                s3 += r3[j] * xj;
            }
            ys[i] += alpha * s0;
            ys[i + 1] += alpha * s1;
            ys[i + 2] += alpha * s2;
            ys[i + 3] += alpha * s3;
        }
        for (; i < m; i++) {
            a.get(aOff + i * lda, r0, 0, n);
            float s0 = 0f, s1 = 0f;
            int j = 0;
            for (; j + 1 < n; j += 2) {
                s0 += r0[j] * xs[j];
                s1 += r0[j + 1] * xs[j + 1];
            }
            if (j < n) {
                s0 += r0[j] * xs[j];
            }
            ys[i] += alpha * (s0 + s1);
        }
    }

    /** ys += sum_i (alpha * x[i]) * (A row i): axpy over the rows of A, four at a time. */
    private static void gemvTransposed(int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                                       float[] xs, float[] ys, Scratch s) {
        float[] r0 = s.row(1, n), r1 = s.row(2, n), r2 = s.row(3, n), r3 = s.row(4, n);
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int base = aOff + i * lda;
            a.get(base, r0, 0, n);
            a.get(base + lda, r1, 0, n);
            a.get(base + 2 * lda, r2, 0, n);
            a.get(base + 3 * lda, r3, 0, n);
            axpy4(ys, n, alpha * xs[i], r0, alpha * xs[i + 1], r1, alpha * xs[i + 2], r2, alpha * xs[i + 3], r3);
        }
        for (; i < m; i++) {
            a.get(aOff + i * lda, r0, 0, n);
            axpy1(ys, n, alpha * xs[i], r0);
        }
    }

    @Override
    protected void doSgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                           FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                           float beta, FloatBuffer c, int cOff, int ldc) {
        boolean compute = alpha != 0f && k > 0;
        float[][] bRows = compute ? packB(transB, n, k, b, bOff, ldb, SCRATCH.get()) : null;
        Gemm job = new Gemm(transA, n, k, alpha, a, aOff, lda, bRows, beta, c, cOff, ldc);
        int parts = compute && (long) m * n * k >= PARALLEL_MIN_MULADDS ? Math.min(threads, m) : 1;
        if (parts <= 1) {
            job.rows(0, m);
            return;
        }
        ForkJoinPool p = pool(threads);
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = (int) ((long) m * t / parts), to = (int) ((long) m * (t + 1) / parts);
            tasks[t - 1] = p.submit(() -> job.rows(from, to));
        }
        job.rows(0, (int) ((long) m / parts));
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    /** The rows of op(B) (k rows of n) as separate zero-offset float[] rows in the caller's scratch. */
    private static float[][] packB(Transpose transB, int n, int k, FloatBuffer b, int bOff, int ldb, Scratch s) {
        float[][] rows = s.packedRows(k, n);
        if (!transB.transposed()) {
            for (int p = 0; p < k; p++) {
                b.get(bOff + p * ldb, rows[p], 0, n);
            }
            return rows;
        }
        // B is stored n x k: row j of the stored B becomes column j of the packed rows
        float[] stored = s.vector(k);
        for (int j = 0; j < n; j++) {
            b.get(bOff + j * ldb, stored, 0, k);
            for (int p = 0; p < k; p++) {
                rows[p][j] = stored[p];
            }
        }
        return rows;
    }

    /** One sgemm call with op(B) packed; rows(from, to) computes those rows of C and may run on any thread. */
    private static final class Gemm {
        final boolean aTransposed;
        final int n, k;
        final float alpha, beta;
        final FloatBuffer a, c;
        final int aOff, lda, cOff, ldc;
        final float[][] bRows;

        Gemm(Transpose transA, int n, int k, float alpha, FloatBuffer a, int aOff, int lda, float[][] bRows,
             float beta, FloatBuffer c, int cOff, int ldc) {
            this.aTransposed = transA.transposed();
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.bRows = bRows;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** alpha * op(A)[i][p], the coefficient of packed row p in row i of C. */
        float coef(int i, int p) {
            return alpha * (aTransposed ? a.get(aOff + p * lda + i) : a.get(aOff + i * lda + p));
        }

        void rows(int from, int to) {
            float[] row = SCRATCH.get().row(0, n);
            for (int i = from; i < to; i++) {
                int ci = cOff + i * ldc;
                c.get(ci, row, 0, n);
                scale(row, n, beta);
                if (bRows != null) {
                    int p = 0;
                    for (; p + UNROLL - 1 < k; p += UNROLL) {
                        axpy4(row, n, coef(i, p), bRows[p], coef(i, p + 1), bRows[p + 1],
                                coef(i, p + 2), bRows[p + 2], coef(i, p + 3), bRows[p + 3]);
                    }
                    for (; p < k; p++) {
                        axpy1(row, n, coef(i, p), bRows[p]);
                    }
                }
                c.put(ci, row, 0, n);
            }
        }
    }

    /** v[0..len) *= beta, where beta = 0 sets zeros (ignoring NaN and infinities already in v, as BLAS does). */
    private static void scale(float[] v, int len, float beta) {
        if (beta == 0f) {
            Arrays.fill(v, 0, len, 0f);
        } else if (beta != 1f) {
            for (int j = 0; j < len; j++) {
                v[j] *= beta;
            }
        }
    }

    /** acc[0..n) += a0 * b0 + a1 * b1 + a2 * b2 + a3 * b3 (modifies acc only). */
    private static void axpy4(float[] acc, int n, float a0, float[] b0, float a1, float[] b1,
                              float a2, float[] b2, float a3, float[] b3) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    /** acc[0..n) += a0 * b0 (modifies acc only). */
    private static void axpy1(float[] acc, int n, float a0, float[] b0) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j];
        }
    }

    private static ForkJoinPool pool(int threads) {
        ForkJoinPool p = pool;
        if (p == null || p.getParallelism() < threads - 1) {
            synchronized (JavaBlas.class) {
                p = pool;
                if (p == null || p.getParallelism() < threads - 1) {
                    // Grows only. A smaller pool replaced here is left to finish what it runs; its workers are
                    // daemon threads that end once idle, so no pool ever keeps the JVM alive.
                    p = new ForkJoinPool(Math.max(1, threads - 1));
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Per-thread working memory, grown on demand and kept. */
    private static final class Scratch {
        private final float[][] rows = new float[5][0];
        private float[] vector = new float[0];
        private float[][] packed = new float[0][];
        private int packedLength;

        float[] row(int which, int length) {
            if (rows[which].length < length) {
                rows[which] = new float[length];
            }
            return rows[which];
        }

        float[] vector(int length) {
            if (vector.length < length) {
                vector = new float[length];
            }
            return vector;
        }

        float[][] packedRows(int count, int length) {
            if (packed.length < count || packedLength < length) {
                int len = Math.max(length, packedLength);
                float[][] grown = new float[Math.max(count, packed.length)][];
                for (int p = 0; p < grown.length; p++) {
                    grown[p] = new float[len];
                }
                packed = grown;
                packedLength = len;
            }
            return packed;
        }
    }
}
