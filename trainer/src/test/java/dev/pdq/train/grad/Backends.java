package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;

import java.util.stream.Stream;

/** Every Blas backend the gradient tests run on (the native ones join when they land on this branch). */
final class Backends {
    private Backends() {
    }

    static Stream<Blas> all() {
        return Stream.of(new JavaBlas());
    }
}
