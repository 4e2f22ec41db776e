package dev.pdq.train.grad;

import dev.pdq.blas.Blas;

import java.util.stream.Stream;

/** Every Blas backend the gradient tests run on: the runtime's list (Java, and native where it loads). */
final class Backends {
    private Backends() {
    }

    static Stream<Blas> all() {
        return dev.pdq.testing.Backends.all().stream();
    }
}
