package dev.pdq.bench;

import dev.pdq.blas.Blas;
import dev.pdq.operator.Dct;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.BatchSolver;
import dev.pdq.solver.FrameParallelSolver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * PrimalDual throughput in frame-iterations per second (B frames x L iterations per solve) on a given Blas, for a
 * list of batch sizes. Each batch size gets its own solver, a warm-up, then repetitions of at least a minimum
 * duration; the median repetition is reported with the range. The same run can time the raw BLAS calls at the
 * same shapes ({@link Result#gflops} uses the same flop count: 4*k*n per frame-iteration, two matrix products),
 * so that throughput can be quoted as a fraction of the ceiling.
 *
 * <p>Data: K = the orthonormal DCT-II when k = n (the built-in model), else seeded Gaussian; frames are seeded
 * speech-like signals quantized at 4 bits, so the clips are as active as in use. Timings include load() (a copy
 * of the batch), which is small next to L iterations. No output: callers print {@link #table}.
 */
public final class SolverThroughput {
    /** n = k = 320 (20 ms at 16 kHz), B in {1, 8, 32, 128}, L = 100, 1 s warm-up, 5 repetitions of 0.3 s. */
    public static Settings defaults() {
        return new Settings(320, 320, new int[] {1, 8, 32, 128}, 100, 1.0, 0.3, 5);
    }

    /** What to measure and for how long. */
    public static final class Settings {
        public final int n;
        public final int k;
        public final int[] batches;
        public final int iterations;
        public final double warmupSeconds;
        public final double minSecondsPerRepetition;
        public final int repetitions;

        public Settings(int n, int k, int[] batches, int iterations, double warmupSeconds,
                        double minSecondsPerRepetition, int repetitions) {
            if (n <= 0 || k <= 0 || iterations <= 0 || repetitions <= 0 || batches.length == 0
                    || Arrays.stream(batches).anyMatch(b -> b <= 0)
                    || !(warmupSeconds >= 0) || !(minSecondsPerRepetition >= 0)) {
                throw new IllegalArgumentException("SolverThroughput.Settings: n = " + n + ", k = " + k
                        + ", batches = " + Arrays.toString(batches) + ", iterations = " + iterations
                        + ", warm-up = " + warmupSeconds + " s, repetition = " + minSecondsPerRepetition
                        + " s, repetitions = " + repetitions + ": all must be positive (times >= 0)");
            }
            this.n = n;
            this.k = k;
            this.batches = batches.clone();
            this.iterations = iterations;
            this.warmupSeconds = warmupSeconds;
            this.minSecondsPerRepetition = minSecondsPerRepetition;
            this.repetitions = repetitions;
        }
    }

    /** One batch size on one backend. Rates in frame-iterations per second. */
    public static final class Result {
        public final String backend;
        public final int n;
        public final int k;
        public final int batch;
        public final int iterations;
        public final int repetitions;
        public final double medianRate;
        public final double minRate;
        public final double maxRate;

        Result(String backend, int n, int k, int batch, int iterations, double[] rates) {
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            int m = sorted.length;
            this.backend = backend;
            this.n = n;
            this.k = k;
            this.batch = batch;
            this.iterations = iterations;
            this.repetitions = m;
            this.medianRate = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
            this.minRate = sorted[0];
            this.maxRate = sorted[m - 1];
        }

        /** GFLOP/s at the median rate, counting 4*k*n flops a frame-iteration (the two matrix products). */
        public double gflops() {
            return medianRate * flopsPerFrameIteration(n, k) / 1e9;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s n=%d k=%d B=%d: %.4g frame-iterations/s (%.4g..%.4g), %.3g GFLOP/s",
                    backend, n, k, batch, medianRate, minRate, maxRate, gflops());
        }
    }

    private SolverThroughput() {
    }

    /** 2 flops per multiply-add, two products (K ybar and K^T psi) of k*n each. */
    public static double flopsPerFrameIteration(int n, int k) {
        return 4.0 * k * n;
    }

    /** Measures every batch size of the settings, in order, on one PrimalDual. */
    public static List<Result> run(Blas blas, Settings s) {
        return run(blas, s, 1);
    }

    /**
     * Measures every batch size of the settings, in order, each batch split over {@code parts} solvers on threads
     * of their own ({@link FrameParallelSolver}, as {@code pdq dequantize} runs; at most one part a frame).
     */
    public static List<Result> run(Blas blas, Settings s, int parts) {
        List<Result> out = new ArrayList<>();
        for (int b : s.batches) {
            out.add(measure(blas, s, b, parts));
        }
        return out;
    }

    /**
     * Measures one batch size split over {@code parts} solvers (1: one PrimalDual on this thread), built as
     * {@code pdq dequantize} builds them ({@link Operator#newSolver(Blas, int, int)}).
     */
    public static Result measure(Blas blas, Settings s, int batch, int parts) {
        Operator op = new Operator(s.n, s.k, 4, 16000, 1.0, 100.0, s.iterations, 1, "SolverThroughput",
                operator(s.n, s.k));
        try (BatchSolver solver = op.newSolver(blas, batch, parts)) {
            Quantizer q = new Quantizer(4);
            float[] frames = frames(batch * s.n, q);
            float[] below = new float[frames.length];
            float[] above = new float[frames.length];
            Arrays.fill(below, -q.halfWidth());
            Arrays.fill(above, q.halfWidth());
            timeFor(solver, frames, below, above, batch, s.iterations, s.warmupSeconds);
            double[] rates = new double[s.repetitions];
            for (int rep = 0; rep < s.repetitions; rep++) {
                rates[rep] = timeFor(solver, frames, below, above, batch, s.iterations, s.minSecondsPerRepetition);
            }
            return new Result(blas.name(), s.n, s.k, batch, s.iterations, rates);
        }
    }

    /**
     * Solves the batch (the fixed grid's cells, no frame scaling) repeatedly, at least once, for at least
     * {@code seconds}; returns frame-iterations/s.
     */
    private static double timeFor(BatchSolver solver, float[] frames, float[] below, float[] above, int batch,
                                  int iterations, double seconds) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long done = 0;
        long elapsed;
        do {
            solver.load(frames, below, above, 0, batch, 0f);
            solver.solve(iterations);
            done += (long) batch * iterations;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return done / (Math.max(elapsed, 1) / 1e9);
    }

    private static float[] operator(int n, int k) {
        if (n == k) {
            return Dct.orthonormalDct2(n);
        }
        Random rnd = new Random(1);
        float[] m = new float[k * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (rnd.nextGaussian() / Math.sqrt(n));
        }
        return m;
    }

    /** A few seeded harmonics with noise, quantized: clips active as on speech. */
    private static float[] frames(int len, Quantizer q) {
        Random rnd = new Random(2);
        float[] x = new float[len];
        double f1 = 0.013;
        double f2 = 0.071;
        for (int i = 0; i < len; i++) {
            double v = 0.5 * Math.sin(2 * Math.PI * f1 * i) + 0.2 * Math.sin(2 * Math.PI * f2 * i + 1)
                    + 0.05 * rnd.nextGaussian();
            x[i] = q.quantize((float) v);
        }
        return x;
    }

    /** A Markdown table of results (one row per result). */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| backend | n | k | B | L | frame-iterations/s (median) | range | GFLOP/s |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.4g | %.4g..%.4g | %.3g |%n",
                    r.backend, r.n, r.k, r.batch, r.iterations, r.medianRate, r.minRate, r.maxRate, r.gflops()));
        }
        return sb.toString();
    }
}
