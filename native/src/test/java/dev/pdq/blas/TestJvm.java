package dev.pdq.blas;

import java.nio.file.Path;

/**
 * The java a test starts another JVM with. By default this JVM's own; the arm64 profile sets the system property
 * {@value #PROPERTY} to the qemu wrapper (.ci/java-arm64/bin/java), because an arm64 binary cannot be started
 * directly under qemu-user without binfmt_misc. {@value #REFERENCE_PROPERTY} names a second java to compare
 * with (the host's x86-64 java in the arm64 profile); by default it is the same as {@link #java()}.
 */
public final class TestJvm {

    /** System property: the java executable for child JVMs. */
    public static final String PROPERTY = "pdq.test.java";
    /** System property: the java executable of the reference platform. */
    public static final String REFERENCE_PROPERTY = "pdq.test.reference.java";
    /** System property: the os.arch the tests must run on (set by the arm64 profile), absent for any. */
    public static final String EXPECTED_ARCH_PROPERTY = "pdq.expect.arch";
    /** System property: "true" where this JVM is emulated (qemu-user, the arm64 profile) on another host. */
    public static final String EMULATED_PROPERTY = "pdq.test.emulated";

    private TestJvm() {
    }

    /** The java executable for child JVMs of the platform under test. */
    public static String java() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The java executable of the reference platform. */
    public static String referenceJava() {
        String configured = System.getProperty(REFERENCE_PROPERTY);
        return configured != null && !configured.isBlank() ? configured : java();
    }

    /** This JVM's class path, for a child JVM to run test or main classes. */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** The expected os.arch, or null when the tests may run anywhere. */
    public static String expectedArch() {
        String arch = System.getProperty(EXPECTED_ARCH_PROPERTY);
        return arch == null || arch.isBlank() ? null : arch.trim();
    }

    /**
     * Skips the calling test where this JVM is emulated ({@value #EMULATED_PROPERTY}): a test that starts the
     * host's own tools (sox, ffmpeg, sh) would run the host's x86-64 binaries, so it checks nothing of the emulated
     * platform, and under qemu-user a fork of the emulated JVM, once threads have come and gone in it, hangs at
     * times in the child (seen three times on 2026-12-03). Child JVMs of the platform under test are started on
     * purpose by the cross-platform tests, which run first.
     */
    public static void assumeHostToolsRunHere(String test) {
        boolean emulated = Boolean.getBoolean(EMULATED_PROPERTY);
        if (emulated) {
            System.err.println("**** " + test + ": SKIPPED under emulation: it starts the host's x86-64 tools ****");
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(emulated, test + " starts the host's tools: not under emulation");
    }

    /** True when this JVM runs on 64-bit ARM. */
    public static boolean isAarch64() {
        return "aarch64".equals(System.getProperty("os.arch"));
    }
}
