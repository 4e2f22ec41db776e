package dev.pdq.blas;

import java.util.Objects;

/**
 * How to set up a backend.
 *
 * @param libraryPath explicit path of the native BLAS library, or null to look it up (see {@link OpenBlas#load})
 * @param threads     threads per call, 0 for the backend's default. For OpenBLAS this is process-wide
 *                    (openblas_set_num_threads); for the Java backend it is the split of large sgemm calls
 * @param coreType    OpenBLAS core type to force (the OPENBLAS_CORETYPE variable, e.g. "Haswell", "CORTEXA72",
 *                    "NEOVERSEN1"), or null to let OpenBLAS detect the CPU. Only takes effect if the library is
 *                    not loaded yet in this process, and only with a DYNAMIC_ARCH build (Debian's is one)
 */
public record BlasOptions(String libraryPath, int threads, String coreType) {

    /** Look the library up, library's default threads, detected core. */
    public static final BlasOptions DEFAULT = new BlasOptions(null, 0, null);

    public BlasOptions {
        if (libraryPath != null && libraryPath.isBlank()) {
            throw new IllegalArgumentException("BLAS library path is blank");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("BLAS threads = " + threads + " is negative");
        }
        if (coreType != null && !isCoreName(coreType)) {
            throw new IllegalArgumentException("OpenBLAS core type '" + coreType
                    + "' is not a core name (letters, digits and underscores, e.g. Haswell or CORTEXA72)");
        }
    }

    /** 1 to 64 letters, digits and underscores (a loop, not a regex: compiling one costs start-up time). */
    private static boolean isCoreName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    // equals and hashCode written out: a record's generated ones bootstrap method handles on first use, some
    // milliseconds of start-up for Blases' memo lookup (docs/PERFORMANCE.md, "Start-up")
    @Override
    public boolean equals(Object o) {
        return o instanceof BlasOptions b && threads == b.threads && Objects.equals(libraryPath, b.libraryPath)
                && Objects.equals(coreType, b.coreType);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(libraryPath) * 31 + threads) * 31 + Objects.hashCode(coreType);
    }

    public BlasOptions withLibraryPath(String path) {
        return new BlasOptions(path, threads, coreType);
    }

    public BlasOptions withThreads(int count) {
        return new BlasOptions(libraryPath, count, coreType);
    }

    public BlasOptions withCoreType(String core) {
        return new BlasOptions(libraryPath, threads, core);
    }
}
