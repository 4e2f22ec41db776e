package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One assertion per invalid argument: an IllegalArgumentException whose message names it. */
class ArgumentsTest {
    static final Blas BLAS = new JavaBlas();

    static void rejects(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void constructors() {
        rejects("iterations = 0", () -> new FullBackprop(BLAS, 4, 4, 2, 0, 1f));
        rejects("iterations = -1", () -> new TruncatedBackprop(BLAS, 4, 4, 2, -1, 3, 1f));
        rejects("backwardSteps = 0", () -> new TruncatedBackprop(BLAS, 4, 4, 2, 5, 0, 1f));
        rejects("alpha = -1.0", () -> new FullBackprop(BLAS, 4, 4, 2, 5, -1f));
        rejects("alpha = NaN", () -> new TruncatedBackprop(BLAS, 4, 4, 2, 5, 3, Float.NaN));
        rejects("theta = Infinity", () -> new FullBackprop(BLAS, 4, 4, 2, 5, 1f, Float.POSITIVE_INFINITY, 100));
        rejects("maxBatch = 0", () -> new FullBackprop(BLAS, 4, 4, 0, 5, 1f));
        rejects("history", () -> new FullBackprop(BLAS, 320, 320, 32, 300_000, 1f));
        rejects("workers = 0", () -> ParallelGradient.of(0, 4, per -> new FullBackprop(BLAS, 4, 4, per, 5, 1f)));
    }

    @Test
    void calls() {
        for (GradientMethod m : new GradientMethod[] {new FullBackprop(BLAS, 4, 3, 2, 5, 1f),
                new TruncatedBackprop(BLAS, 4, 3, 2, 5, 2, 1f)}) {
            rejects("K has 11 floats", () -> m.setOperator(new float[11]));
            m.setOperator(Problems.flat(Problems.operator(new java.util.Random(1), 3, 4, 0.1)));
            float[] x = new float[8];
            float[] g = new float[12];
            rejects("batch = 0", () -> m.lossAndGradient(x, x, 0, 0.1f, g));
            rejects("batch = 3", () -> m.lossAndGradient(new float[12], new float[12], 3, 0.1f, g));
            rejects("first = -1", () -> m.lossAndGradient(x, x, -1, 1, 0.1f, g));
            rejects("x has 8 floats", () -> m.lossAndGradient(x, new float[12], 1, 2, 0.1f, g));
            rejects("s has 4 floats", () -> m.lossAndGradient(x, new float[4], 2, 0.1f, g));
            rejects("gradOut has 11 floats", () -> m.lossAndGradient(x, x, 2, 0.1f, new float[11]));
            rejects("r = -0.1", () -> m.lossAndGradient(x, x, 2, -0.1f, g));
        }
    }
}
