package dev.pdq.blas;

import java.nio.FloatBuffer;

/**
 * Checks every argument once, then hands over to the backend. Nothing reaches a backend (native code above all)
 * unchecked; messages name the routine and the argument, as netlib's AbstractBLAS.checkArgument.
 */
public abstract class AbstractBlas implements Blas {

    @Override
    public final void sgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                            FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff) {
        String r = "sgemv";
        if (trans == null) {
            throw fail(r, "trans is null");
        }
        if (!(m >= 0)) {
            throw fail(r, "m = " + m + " is negative");
        }
        if (!(n >= 0)) {
            throw fail(r, "n = " + n + " is negative");
        }
        if (!(lda >= Math.max(1, n))) {
            throw fail(r, "lda = " + lda + " < max(1, n = " + n + ")");
        }
        int xLen = trans.transposed() ? m : n;
        int yLen = trans.transposed() ? n : m;
        checkBuffer(r, "a", a, aOff, m == 0 || n == 0 ? 0 : (long) (m - 1) * lda + n);
        checkBuffer(r, "x", x, xOff, xLen);
        checkBuffer(r, "y", y, yOff, yLen);
        if (!(!y.isReadOnly())) {
            throw fail(r, "y is read-only");
        }
        if (yLen == 0) {
            return;
        }
        doSgemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public final void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                            FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                            float beta, FloatBuffer c, int cOff, int ldc) {
        String r = "sgemm";
        if (transA == null) {
            throw fail(r, "transA is null");
        }
        if (transB == null) {
            throw fail(r, "transB is null");
        }
        if (!(m >= 0)) {
            throw fail(r, "m = " + m + " is negative");
        }
        if (!(n >= 0)) {
            throw fail(r, "n = " + n + " is negative");
        }
        if (!(k >= 0)) {
            throw fail(r, "k = " + k + " is negative");
        }
        // stored shapes: A is m x k (k x m transposed), B is k x n (n x k transposed)
        int aRows = transA.transposed() ? k : m, aCols = transA.transposed() ? m : k;
        int bRows = transB.transposed() ? n : k, bCols = transB.transposed() ? k : n;
        if (!(lda >= Math.max(1, aCols))) {
            throw fail(r, "lda = " + lda + " < max(1, " + aCols + ")");
        }
        if (!(ldb >= Math.max(1, bCols))) {
            throw fail(r, "ldb = " + ldb + " < max(1, " + bCols + ")");
        }
        if (!(ldc >= Math.max(1, n))) {
            throw fail(r, "ldc = " + ldc + " < max(1, n = " + n + ")");
        }
        checkBuffer(r, "a", a, aOff, extent(aRows, aCols, lda));
        checkBuffer(r, "b", b, bOff, extent(bRows, bCols, ldb));
        checkBuffer(r, "c", c, cOff, extent(m, n, ldc));
        if (!(!c.isReadOnly())) {
            throw fail(r, "c is read-only");
        }
        if (m == 0 || n == 0) {
            return;
        }
        doSgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Arguments already checked; m, n > 0. */
    protected abstract void doSgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                                    FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff);

    /** Arguments already checked; m, n > 0. */
    protected abstract void doSgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                                    FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                                    float beta, FloatBuffer c, int cOff, int ldc);

    /** Extra requirement a backend places on buffers (the native one: direct and native order). */
    protected void checkBufferKind(String routine, String name, FloatBuffer buf) {
    }

    private static long extent(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    private void checkBuffer(String routine, String name, FloatBuffer buf, int off, long needed) {
        if (buf == null) {
            throw fail(routine, name + " is null");
        }
        if (!(off >= 0)) {
            throw fail(routine, name + " offset = " + off + " is negative");
        }
        if (!(off + needed <= buf.capacity())) {
            throw fail(routine, name + " needs " + needed + " floats from offset " + off + " but its capacity is " + buf.capacity());
        }
        checkBufferKind(routine, name, buf);
    }

    /** The exception for a bad argument; messages are built only on failure, so a valid call allocates nothing. */
    protected static IllegalArgumentException fail(String routine, String message) {
        return new IllegalArgumentException(routine + ": " + message);
    }
}
