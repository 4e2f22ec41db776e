package dev.pdq.blas;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The CI rule: a missing native BLAS fails the test under PDQ_REQUIRE_NATIVE=1 and skips it otherwise. */
class BlasBackendsTest {

    private final BlasUnavailableException missing =
            new BlasUnavailableException("no native BLAS library could be loaded", List.of("libopenblas.so.0: gone"));

    @Test
    void missingNativeFailsWhenRequired() {
        assertThrows(AssertionFailedError.class, () -> BlasBackends.unavailable(missing, "1"));
    }

    @Test
    void missingNativeSkipsWhenNotRequired() {
        assertThrows(TestAbortedException.class, () -> BlasBackends.unavailable(missing, null));
    }

    @Test
    void onlyTheValueOneRequiresNative() {
        assertThrows(TestAbortedException.class, () -> BlasBackends.unavailable(missing, "0"));
    }
}
