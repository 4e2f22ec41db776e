package dev.pdq.blas;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a native library that exports CBLAS.
 *
 * <p>Order: the explicit path (from an option or the device profile); else the file named by the environment
 * variable {@value #ENV}; else the system names {@link #SYSTEM_NAMES}, first that loads and exports cblas_sgemm
 * and cblas_sgemv. An explicit path or the variable, when given, is the only place tried: a configured library
 * that fails to load is an error to report, not a hint to quietly replace with another one.
 */
final class LibraryLocator {

    static final String ENV = "PDQ_BLAS_LIBRARY";

    /** Debian and Raspberry Pi OS names; libblas.so.3 counts only when it exports CBLAS (OpenBLAS's does). */
    static final List<String> SYSTEM_NAMES = List.of("libopenblas.so.0", "libopenblas.so", "libblas.so.3");

    private static final List<String> REQUIRED = List.of("cblas_sgemm", "cblas_sgemv");

    /** A place to try and how it was chosen. */
    record Candidate(String name, String source) {
        @Override
        public String toString() {
            return name + " (" + source + ")";
        }
    }

    /** A loaded library: the handle, where it was found and the file it resolved to. */
    record Found(NativeLibrary library, Candidate candidate, String file) {
    }

    private LibraryLocator() {
    }

    /** The places to try, in order, for an explicit path (or null) and the value of {@value #ENV} (or null). */
    static List<Candidate> candidates(String explicitPath, String envValue) {
        if (explicitPath != null) {
            return List.of(new Candidate(explicitPath, "explicit path"));
        }
        if (envValue != null && !envValue.isBlank()) {
            return List.of(new Candidate(envValue.trim(), "environment variable " + ENV));
        }
        List<Candidate> all = new ArrayList<>();
        for (String name : SYSTEM_NAMES) {
            all.add(new Candidate(name, "system name"));
        }
        return all;
    }

    /** Loads the first candidate that works. */
    static Found find(List<Candidate> candidates) {
        List<String> attempts = new ArrayList<>();
        for (Candidate c : candidates) {
            String failure = null;
            NativeLibrary lib = null;
            if (c.name().indexOf('/') >= 0 && !Files.isRegularFile(Path.of(c.name()))) {
                failure = "no such file";
            } else {
                try {
                    lib = NativeLibrary.getInstance(c.name());
                } catch (UnsatisfiedLinkError e) {
                    failure = "cannot load: " + firstLine(e.getMessage());
                }
            }
            if (lib != null) {
                for (String symbol : REQUIRED) {
                    if (failure == null && !exports(lib, symbol)) {
                        failure = "loads but exports no " + symbol + " (not a CBLAS library)";
                    }
                }
            }
            if (failure == null) {
                return new Found(lib, c, fileOf(lib));
            }
            attempts.add(c + ": " + failure);
        }
        throw new BlasUnavailableException("no native BLAS library could be loaded", attempts);
    }

    /** The function, or null where the library does not export it. */
    static Function optional(NativeLibrary lib, String symbol) {
        try {
            return lib.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /**
     * Sets an environment variable of this process through libc's setenv, which a native library reads with
     * getenv when it loads (Java has no setenv; System.getenv keeps its own copy and does not see the change).
     */
    static void setenv(String name, String value) {
        int rc = NativeLibrary.getProcess().getFunction("setenv").invokeInt(new Object[] {name, value, 1});
        if (rc != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed: errno " + Native.getLastError());
        }
    }

    private static boolean exports(NativeLibrary lib, String symbol) {
        return optional(lib, symbol) != null;
    }

    /** The file the dynamic linker resolved the library to (dladdr on cblas_sgemm), else the name it has. */
    private static String fileOf(NativeLibrary lib) {
        try {
            Function dladdr = NativeLibrary.getProcess().getFunction("dladdr");
            Memory info = new Memory(4L * Native.POINTER_SIZE); // Dl_info: fname, fbase, sname, saddr
            info.clear();
            if (dladdr.invokeInt(new Object[] {lib.getFunction("cblas_sgemm"), info}) != 0
                    && info.getPointer(0) != null) {
                return info.getPointer(0).getString(0);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not glibc: fall back to the name JNA knows
        }
        return lib.getFile() != null ? lib.getFile().getPath() : lib.getName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
