package dev.pdq.testing;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasBackends;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.BlasUnavailableException;
import dev.pdq.blas.Blases;
import dev.pdq.blas.JavaBlas;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Blas backend the tests run on: the one place to add a backend. Use as
 * {@code @MethodSource("dev.pdq.testing.Backends#all")}. The native backend is included when OpenBLAS loads; when
 * it does not, its cases are left out, unless PDQ_REQUIRE_NATIVE=1 (CI), which makes that an error.
 */
public final class Backends {
    private Backends() {
    }

    /** A fresh Java backend and, where it loads, the native one. */
    public static List<Blas> all() {
        List<Blas> list = new ArrayList<>();
        list.add(new JavaBlas());
        try {
            list.add(Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT));
        } catch (BlasUnavailableException e) {
            if ("1".equals(System.getenv(BlasBackends.REQUIRE_NATIVE_ENV))) {
                throw new IllegalStateException(BlasBackends.REQUIRE_NATIVE_ENV
                        + "=1 but the native BLAS cannot be loaded: " + e.getMessage(), e);
            }
            System.err.println("Backends: native BLAS not available, its cases are skipped: " + e.getMessage());
        }
        return list;
    }
}
