package dev.pdq.blas;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Pure-Java BLAS, written for what C2 (JDK 17) auto-vectorizes.
 *
 * <p>JDK 17's SuperWord only vectorizes a loop whose array accesses all share the same index, with no
 * loop-invariant offset ({@code c[j] += a * b[j]} vectorizes, {@code c[ci + j] += a * b[bi + j]} runs scalar, about
 * ten times slower). So every hot loop works on zero-offset rows: sgemm packs the rows of op(B) into separate
 * float[] rows once per call (a transposing copy for op(B) = B^T), copies each row of C into a scratch row,
 * updates it with axpy loops over four packed rows at a time (alpha folded into the coefficients), and copies it
 * back. sgemv with A^T is the same axpy over rows of A; sgemv with A is a dot product per row, a reduction C2
 * does not vectorize for float, so it runs scalar over eight rows at a time. Rows move with the absolute bulk
 * get/put of FloatBuffer (System.arraycopy for heap buffers, a memory copy for direct ones); the scalar loops read
 * a heap buffer's array in place.
 *
 * <p>Large sgemm calls split the packing of B and then the rows of C over {@link #threads()} threads: the caller
 * and {@link HelperThreads}. Scratch memory is per thread and kept between calls, so steady-state calls allocate
 * only a few small objects.
 *
 * <p>As in BLAS, beta = 0 ignores the old contents of y or C (NaN included), and alpha = 0 reads neither A nor B.
 */
public final class JavaBlas extends AbstractBlas {

    /** Below this many multiply-adds (about 10 us of work) a sgemm call is not split over threads. */
    static final long PARALLEL_MIN_MULADDS = 1L << 18;

    private static final int UNROLL = 4;

    /** Rows per pass of the sgemv dot-product kernel. */
    private static final int DOT_ROWS = 8;

    /** Columns of the stored B per tile of the transposing copy: a tile's rows stay in L1 while it is read. */
    private static final int TRANSPOSE_TILE = 32;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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

    /**
     * ys[i] += alpha * dot(A row i, xs), eight rows at a time so that each x[j] is loaded once per eight rows and
     * eight independent sums hide the latency of the additions. A dot product is a reduction, which C2 does not
     * vectorize for float, so this loop is scalar and reads a heap buffer's array in place (offsets cost nothing
     * here); rows of a direct buffer are copied first.
     */
    private static void gemvPlain(int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                                  float[] xs, float[] ys, Scratch s) {
        boolean inPlace = a.hasArray();
        float[] arr = inPlace ? a.array() : s.vector2(DOT_ROWS * n);
        int ld = inPlace ? lda : n;
        for (int i = 0; i < m; i += DOT_ROWS) {
            int rows = Math.min(DOT_ROWS, m - i);
            int o;
            if (inPlace) {
                o = a.arrayOffset() + aOff + i * lda;
            } else {
                for (int r = 0; r < rows; r++) {
                    a.get(aOff + (i + r) * lda, arr, r * n, n);
                }
                o = 0;
            }
            if (rows == DOT_ROWS) {
                dot8(arr, o, ld, xs, n, ys, i, alpha);
            } else {
                for (int r = 0; r < rows; r++) {
                    ys[i + r] += alpha * dot(arr, o + r * ld, xs, n);
                }
            }
        }
    }

    /** ys[i0 + r] += alpha * dot(row r, xs) for the eight rows at arr[o + r * ld] (modifies ys only). */
    private static void dot8(float[] arr, int o, int ld, float[] xs, int n, float[] ys, int i0, float alpha) {
        int o0 = o, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld, o6 = o5 + ld, o7 = o6 + ld;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int j = 0; j < n; j++) {
            float xj = xs[j];
            s0 += arr[o0 + j] * xj;
            s1 += arr[o1 + j] * xj;
            s2 += arr[o2 + j] * xj;
            s3 += arr[o3 + j] * xj;
            s4 += arr[o4 + j] * xj;
            s5 += arr[o5 + j] * xj;
            s6 += arr[o6 + j] * xj;
            s7 += arr[o7 + j] * xj;
        }
        ys[i0] += alpha * s0;
        ys[i0 + 1] += alpha * s1;
        ys[i0 + 2] += alpha * s2;
        ys[i0 + 3] += alpha * s3;
        ys[i0 + 4] += alpha * s4;
        ys[i0 + 5] += alpha * s5;
        ys[i0 + 6] += alpha * s6;
        ys[i0 + 7] += alpha * s7;
    }

    /** dot(arr[o .. o+n), xs[0 .. n)) with two partial sums. */
    private static float dot(float[] arr, int o, float[] xs, int n) {
        float s0 = 0f, s1 = 0f;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            s0 += arr[o + j] * xs[j];
            s1 += arr[o + j + 1] * xs[j + 1];
        }
        if (j < n) {
            s0 += arr[o + j] * xs[j];
        }
        return s0 + s1;
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
        float[][] bRows = compute ? SCRATCH.get().packedRows(k, n) : null;
        int parts = compute && (long) m * n * k >= PARALLEL_MIN_MULADDS ? Math.min(threads, m) : 1;
        if (compute) {
            // packing reads all of B once per call: split it too, by rows of op(B), when the call is split
            int packParts = Math.min(parts, k);
            HelperThreads.run(packParts, t -> pack(transB, n, b, bOff, ldb, bRows, part(k, t, packParts),
                    part(k, t + 1, packParts)));
        }
        Gemm job = new Gemm(transA, n, k, alpha, a, aOff, lda, bRows, beta, c, cOff, ldc);
        HelperThreads.run(parts, t -> job.rows(part(m, t, parts), part(m, t + 1, parts)));
    }

    /** Start of part t when [0, total) is cut into parts. */
    private static int part(int total, int t, int parts) {
        return (int) ((long) total * t / parts);
    }

    /**
     * Rows p0 .. p1-1 of op(B) into rows[p][0..n) (modifies rows only). op(B) = B: one bulk copy per row.
     * op(B) = B^T, B stored n x k: rows[p][j] = B[j][p], a transposing copy by tiles of stored rows, reading a heap
     * buffer's array in place and a direct buffer through a copy of the needed part of each stored row.
     */
    private static void pack(Transpose transB, int n, FloatBuffer b, int bOff, int ldb, float[][] rows, int p0,
                             int p1) {
        if (!transB.transposed()) {
            for (int p = p0; p < p1; p++) {
                b.get(bOff + p * ldb, rows[p], 0, n);
            }
            return;
        }
        float[] src;
        int base, ld;
        if (b.hasArray()) {
            src = b.array();
            base = b.arrayOffset() + bOff;
            ld = ldb;
        } else {
            int width = p1 - p0;
            src = SCRATCH.get().vector2(n * width);
            for (int j = 0; j < n; j++) {
                b.get(bOff + j * ldb + p0, src, j * width, width);
            }
            base = -p0;
            ld = width;
        }
        for (int j0 = 0; j0 < n; j0 += TRANSPOSE_TILE) {
            int j1 = Math.min(n, j0 + TRANSPOSE_TILE);
            for (int p = p0; p < p1; p++) {
                float[] row = rows[p];
                for (int j = j0; j < j1; j++) {
                    row[j] = src[base + j * ld + p];
                }
            }
        }
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

    /**
     * Per-thread working memory, grown on demand and kept. Every array has {@link #PAD} unused floats at its end:
     * arrays allocated one after the other would otherwise share a cache line between the end of one (a packed
     * row of B that every thread reads) and the start of the next (a row of C one thread keeps writing), and that
     * false sharing alone made a two-thread split slower than one thread.
     */
    private static final class Scratch {
        /** 128 bytes: two cache lines of 64 bytes. */
        private static final int PAD = 32;

        private final float[][] rows = new float[5][0];
        private float[] vector = new float[0];
        private float[] vector2 = new float[0];
        private float[][] packed = new float[0][];
        private int packedLength;

        float[] row(int which, int length) {
            if (rows[which].length < length) {
                rows[which] = new float[length + PAD];
            }
            return rows[which];
        }

        float[] vector(int length) {
            if (vector.length < length) {
                vector = new float[length + PAD];
            }
            return vector;
        }

        /** A second vector, for copies of rows of a direct buffer. */
        float[] vector2(int length) {
            if (vector2.length < length) {
                vector2 = new float[length + PAD];
            }
            return vector2;
        }

        float[][] packedRows(int count, int length) {
            if (packed.length < count || packedLength < length) {
                int len = Math.max(length, packedLength);
                float[][] grown = new float[Math.max(count, packed.length)][];
                for (int p = 0; p < grown.length; p++) {
                    grown[p] = new float[len + PAD];
                }
                packed = grown;
                packedLength = len;
            }
            return packed;
        }
    }
}
