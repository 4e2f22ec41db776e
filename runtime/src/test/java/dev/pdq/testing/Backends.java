package dev.pdq.testing;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;

import java.util.List;

/**
 * Every Blas backend the tests run on: the one place to add a backend. Use as
 * {@code @MethodSource("dev.pdq.testing.Backends#all")}.
 */
public final class Backends {
    private Backends() {
    }

    /** A fresh instance of every available backend. */
    public static List<Blas> all() {
        return List.of(new JavaBlas());
    }
}
