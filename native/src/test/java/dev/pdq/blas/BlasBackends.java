package dev.pdq.blas;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Every Blas backend a test should run on, and the rule for the native one: with PDQ_REQUIRE_NATIVE=1 (set by
 * CI) a native test fails when OpenBLAS cannot be loaded; without it, such a test is skipped.
 */
public final class BlasBackends {

    /** Environment variable that makes a missing native BLAS a test failure. */
    public static final String REQUIRE_NATIVE_ENV = "PDQ_REQUIRE_NATIVE";

    /** A backend and the kind of buffer a test hands it. */
    public record Backend(String label, Blas blas, IntFunction<FloatBuffer> buffers) {
        public FloatBuffer allocate(int length) {
            return buffers.apply(length);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private BlasBackends() {
    }

    /** Labels for @MethodSource: "java" (heap buffers), "java-direct" (direct buffers), "native". */
    public static Stream<String> labels() {
        return Stream.of("java", "java-direct", "native");
    }

    /** Labels of the two backends, each with its own buffers: "java" and "native". */
    public static Stream<String> backendLabels() {
        return Stream.of("java", "native");
    }

    /** The backend for a label; for "native", skips or fails the calling test when OpenBLAS is not there. */
    public static Backend backend(String label) {
        switch (label) {
            case "java": {
                Blas blas = new JavaBlas();
                return new Backend(label, blas, blas::allocate);
            }
            case "java-direct":
                return new Backend(label, new JavaBlas(), BlasBackends::directBuffer);
            case "native": {
                Blas blas = nativeBlas();
                return new Backend(label, blas, blas::allocate);
            }
            default:
                throw new IllegalArgumentException("no backend labelled " + label);
        }
    }

    /** The native backend, or the test is skipped (failed under PDQ_REQUIRE_NATIVE=1) when it cannot load. */
    public static Blas nativeBlas() {
        try {
            return Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT);
        } catch (BlasUnavailableException e) {
            throw unavailable(e, System.getenv(REQUIRE_NATIVE_ENV));
        }
    }

    /** Fails (requireNative is "1") or aborts (anything else) the current test because native BLAS is absent. */
    static RuntimeException unavailable(BlasUnavailableException e, String requireNative) {
        if ("1".equals(requireNative)) {
            return Assertions.fail(REQUIRE_NATIVE_ENV + "=1 but the native BLAS cannot be loaded: " + e.getMessage(),
                    e);
        }
        Assumptions.abort("native BLAS not available (set " + REQUIRE_NATIVE_ENV + "=1 to make this a failure): "
                + e.getMessage());
        throw new AssertionError("unreachable");
    }

    /** A zeroed direct buffer in native order, as the native backend allocates. */
    public static FloatBuffer directBuffer(int length) {
        return ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
