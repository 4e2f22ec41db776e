package dev.pdq.blas;

import java.nio.FloatBuffer;

/**
 * Single-precision, row-major BLAS: what the solver and the trainer need, nothing more.
 *
 * <p>Every matrix is row-major ({@code a[off + row*ld + col]}), as CBLAS with CblasRowMajor. Buffers are addressed
 * by explicit element offsets; their position and limit are ignored. Buffers passed to a backend must come from
 * {@link #allocate(int)} of a backend of the same kind (direct native-order buffers work with every backend).
 * Implementations check every argument before computing and throw {@link IllegalArgumentException} naming the
 * routine and the argument.
 *
 * <p>Threading: a Blas instance may be shared by threads; each call is independent.
 */
public interface Blas {

    /** Short backend name ("native" or "java"). */
    String name();

    /** Human-readable description: library path, version, core, threads. */
    String description();

    /** A zeroed buffer of {@code length} floats that this backend computes on without copying. */
    FloatBuffer allocate(int length);

    /**
     * y = alpha * op(A) * x + beta * y, A stored m x n (before op). Modifies y only.
     * x has length op(A).cols, y has length op(A).rows.
     */
    void sgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
               FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff);

    /**
     * C = alpha * op(A) * op(B) + beta * C with op(A) m x k, op(B) k x n, C m x n. Modifies C only.
     */
    void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
               FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
               float beta, FloatBuffer c, int cOff, int ldc);

    /** Releases native resources held by this backend, if any. Safe to call more than once. */
    default void close() {
    }
}
