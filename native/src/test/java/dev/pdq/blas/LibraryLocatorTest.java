package dev.pdq.blas;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LibraryLocatorTest {

    @Test
    void explicitPathIsTheOnlyCandidate() {
        assertEquals(List.of(new LibraryLocator.Candidate("/opt/blas/libopenblas.so", "explicit path")),
                LibraryLocator.candidates("/opt/blas/libopenblas.so", "/env/libblas.so"));
    }

    @Test
    void environmentVariableComesNext() {
        assertEquals(List.of(new LibraryLocator.Candidate("/env/libblas.so", "environment variable PDQ_BLAS_LIBRARY")),
                LibraryLocator.candidates(null, "/env/libblas.so"));
    }

    @Test
    void systemNamesLast_inOrder() {
        List<LibraryLocator.Candidate> c = LibraryLocator.candidates(null, " ");
        assertEquals(List.of("libopenblas.so.0", "libopenblas.so", "libblas.so.3"),
                c.stream().map(LibraryLocator.Candidate::name).toList());
    }

    /** A library that loads but has no CBLAS (the C math library) is named with the missing symbol. */
    @Test
    void aLibraryWithoutCblasIsRejected() {
        assumeTrue(Platform.isLinux(), "libm.so.6 is a Linux name");
        BlasUnavailableException e = assertThrows(BlasUnavailableException.class,
                () -> LibraryLocator.find(List.of(new LibraryLocator.Candidate("libm.so.6", "system name"))));
        assertTrue(e.getMessage().contains("libm.so.6 (system name): loads but exports no cblas_sgemm"),
                e.getMessage());
    }

    @Test
    void everyPlaceTriedIsNamed() {
        BlasUnavailableException e = assertThrows(BlasUnavailableException.class, () -> LibraryLocator.find(List.of(
                new LibraryLocator.Candidate("libpdq-no-such-blas.so.7", "system name"),
                new LibraryLocator.Candidate("/nonexistent/libopenblas.so", "explicit path"))));
        assertEquals(2, e.attempts().size());
        assertTrue(e.attempts().get(0).startsWith("libpdq-no-such-blas.so.7 (system name): cannot load"),
                e.attempts().get(0));
        assertEquals("/nonexistent/libopenblas.so (explicit path): no such file", e.attempts().get(1));
    }
}
