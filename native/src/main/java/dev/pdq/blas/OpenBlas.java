package dev.pdq.blas;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.tinylog.Logger;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * OpenBLAS (or any library exporting CBLAS) through JNA direct mapping.
 *
 * <p>Works on direct, native-order buffers only (from {@link #allocate}): their memory is handed to the library
 * as is, so nothing is copied per call. Heap buffers are rejected by the argument checks.
 */
public final class OpenBlas extends AbstractBlas {

    /** Variable OpenBLAS reads when it loads to force a core type instead of detecting the CPU. */
    static final String CORETYPE_ENV = "OPENBLAS_CORETYPE";

    private final String file;
    private final String source;
    private final String coreName;
    private final String config;
    private final int threads;

    private OpenBlas(String file, String source, String coreName, String config, int threads) {
        this.file = file;
        this.source = source;
        this.coreName = coreName;
        this.config = config;
        this.threads = threads;
    }

    /**
     * Loads the library (see {@link LibraryLocator} for the order: explicit path, then the PDQ_BLAS_LIBRARY
     * environment variable, then libopenblas.so.0, libopenblas.so, libblas.so.3), binds CBLAS, and applies the
     * options. A requested core type is put in the process environment (libc setenv) before loading, which only
     * works if no OpenBLAS is loaded yet; a warning says so if the core OpenBLAS reports differs. The thread
     * count is process-wide in OpenBLAS: the last instance loaded with a nonzero count sets it for all.
     *
     * @throws BlasUnavailableException naming every place tried, if none loads and exports CBLAS
     */
    public static synchronized OpenBlas load(BlasOptions options) {
        if (options.coreType() != null) {
            LibraryLocator.setenv(CORETYPE_ENV, options.coreType());
        }
        LibraryLocator.Found found = LibraryLocator.find(
                LibraryLocator.candidates(options.libraryPath(), System.getenv(LibraryLocator.ENV)));
        NativeLibrary lib = found.library();
        CBlas.bind(lib, found.file());

        if (options.threads() > 0) {
            Function set = LibraryLocator.optional(lib, "openblas_set_num_threads");
            if (set != null) {
                set.invokeVoid(new Object[] {options.threads()});
            } else {
                Logger.warn("BLAS: {} has no openblas_set_num_threads; {} threads requested, the library decides",
                        found.file(), options.threads());
            }
        }
        String core = callString(lib, "openblas_get_corename");
        String config = callString(lib, "openblas_get_config");
        Function getThreads = LibraryLocator.optional(lib, "openblas_get_num_threads");
        int threads = getThreads != null ? getThreads.invokeInt(new Object[0]) : 0;
        if (options.coreType() != null && !options.coreType().equalsIgnoreCase(core)) {
            Logger.warn("BLAS: core type {} was requested but OpenBLAS runs {} (it was loaded before the request,"
                    + " does not know that core, or is not a DYNAMIC_ARCH build)", options.coreType(), core);
        }
        return new OpenBlas(found.file(), found.candidate().toString(), core, config, threads);
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String description() {
        return (config != null ? config : "CBLAS") + ", core " + (coreName != null ? coreName : "unknown")
                + ", " + (threads > 0 ? threads + (threads == 1 ? " thread" : " threads") : "threads unknown")
                + ", from " + file + " (found as " + source + ")";
    }

    /** The library file in use. */
    public String libraryFile() {
        return file;
    }

    /** What openblas_get_corename reports (e.g. "Haswell"), or null where the library lacks it. */
    public String coreName() {
        return coreName;
    }

    /** What openblas_get_config reports (version and build options), or null where the library lacks it. */
    public String config() {
        return config;
    }

    /** Threads OpenBLAS uses (openblas_get_num_threads) when loaded, or 0 where unknown. */
    public int threads() {
        return threads;
    }

    /** A zeroed direct buffer in native byte order. */
    @Override
    public FloatBuffer allocate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: length = " + length + " is negative");
        }
        return ByteBuffer.allocateDirect(Math.multiplyExact(length, Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    protected void checkBufferKind(String routine, String name, FloatBuffer buf) {
        if (!(buf.isDirect())) {
            throw fail(routine, name + " is a heap buffer; the native backend needs a direct buffer in native"
                + " byte order (use Blas.allocate of the native backend)");
        }
        if (!(buf.order() == ByteOrder.nativeOrder())) {
            throw fail(routine, name + " is in " + buf.order()
                + " byte order; the native backend needs native order (" + ByteOrder.nativeOrder() + ")");
        }
    }

    @Override
    protected void doSgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                           FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff) {
        if (m == 0 || n == 0) {
            // BLAS returns at once when A is empty and leaves y alone; y = beta * y is what the formula says
            scale(y, yOff, trans.transposed() ? n : m, beta);
            return;
        }
        CBlas.cblas_sgemv(CBlas.ROW_MAJOR, trans.cblas, m, n, alpha, at(a, aOff), lda, at(x, xOff), 1,
                beta, at(y, yOff), 1);
    }

    @Override
    protected void doSgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                           FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                           float beta, FloatBuffer c, int cOff, int ldc) {
        CBlas.cblas_sgemm(CBlas.ROW_MAJOR, transA.cblas, transB.cblas, m, n, k, alpha, at(a, aOff), lda,
                at(b, bOff), ldb, beta, at(c, cOff), ldc);
    }

    /** Address of element {@code off} of a direct buffer (its position is ignored, as everywhere in Blas). */
    private static Pointer at(FloatBuffer buf, int off) {
        return POINTERS.get().at(buf, off);
    }

    private static final ThreadLocal<PointerCache> POINTERS = ThreadLocal.withInitial(PointerCache::new);

    /**
     * The Pointers of the last few (buffer, offset) pairs a thread passed, so that a solver's steady-state calls,
     * which reuse the same workspace buffers, allocate nothing. Holds at most {@code SIZE} buffers alive per thread.
     */
    private static final class PointerCache {
        private static final int SIZE = 16;
        private final FloatBuffer[] buffers = new FloatBuffer[SIZE];
        private final int[] offsets = new int[SIZE];
        private final Pointer[] pointers = new Pointer[SIZE];
        private int next;

        Pointer at(FloatBuffer buf, int off) {
            for (int i = 0; i < SIZE; i++) {
                if (buffers[i] == buf && offsets[i] == off) {
                    return pointers[i];
                }
            }
            Pointer p = Native.getDirectBufferPointer(buf).share((long) off * Float.BYTES);
            buffers[next] = buf;
            offsets[next] = off;
            pointers[next] = p;
            next = (next + 1) % SIZE;
            return p;
        }
    }

    private static void scale(FloatBuffer v, int off, int len, float beta) {
        for (int i = off; i < off + len; i++) {
            v.put(i, beta == 0f ? 0f : beta * v.get(i));
        }
    }

    private static String callString(NativeLibrary lib, String symbol) {
        Function f = LibraryLocator.optional(lib, symbol);
        if (f == null) {
            return null;
        }
        String s = (String) f.invoke(String.class, new Object[0]);
        return s == null ? null : s.trim();
    }
}
