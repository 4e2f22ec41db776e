package dev.pdq.blas;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The two CBLAS routines pdq calls, bound with JNA direct mapping (Native.register): primitive and Pointer
 * arguments only, enums as their CBLAS int codes, so a call costs about as much as a JNI call and copies nothing.
 *
 * <p>JNA binds a class's native methods once per JVM, so {@link #bind} accepts a second library only if it is
 * the one already bound (same address of cblas_sgemm, whatever name it was found under).
 */
final class CBlas {

    /** CBLAS_ORDER value of CblasRowMajor. */
    static final int ROW_MAJOR = 101;

    private static String boundWhere;
    private static long boundSgemm;

    private CBlas() {
    }

    /** y = alpha * op(A) * x + beta * y (row-major, unit strides given as incX = incY = 1). */
    static native void cblas_sgemv(int order, int trans, int m, int n, float alpha, Pointer a, int lda,
                                   Pointer x, int incX, float beta, Pointer y, int incY);

    /** C = alpha * op(A) * op(B) + beta * C. */
    static native void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                                   Pointer a, int lda, Pointer b, int ldb, float beta, Pointer c, int ldc);

    /**
     * Binds the native methods to {@code library} (which must export cblas_sgemv and cblas_sgemm), or checks that
     * they are already bound to it.
     *
     * @param where the library's file, for messages
     * @throws BlasUnavailableException if another library is already bound in this JVM
     */
    static synchronized void bind(NativeLibrary library, String where) {
        long sgemm = Pointer.nativeValue(library.getFunction("cblas_sgemm"));
        if (boundWhere == null) {
            Native.register(CBlas.class, library);
            boundWhere = where;
            boundSgemm = sgemm;
        } else if (sgemm != boundSgemm) {
            throw new BlasUnavailableException("CBLAS is already bound to " + boundWhere + " in this JVM and JNA binds"
                    + " once per JVM, so " + where + " cannot be used as well; use one BLAS library per process",
                    java.util.List.of());
        }
    }

    /** The library bound, or null. */
    static synchronized String boundLibrary() {
        return boundWhere;
    }
}
