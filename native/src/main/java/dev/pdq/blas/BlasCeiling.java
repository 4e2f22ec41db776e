package dev.pdq.blas;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The raw BLAS ceiling at the solver's shapes: sgemv with an n x n matrix, and sgemm of a batch of B frames
 * (B x n) by an n x n matrix, as Z = Y K^T (NO, YES) and Y = Psi K (NO, NO). Solver throughput is quoted as a
 * fraction of these numbers measured in the same run.
 *
 * <p>Each shape is warmed up (JIT, caches, library threads), then timed in {@link #REPETITIONS} repetitions of
 * enough calls to fill the time budget; the median time per call is reported. Not a test: timings on shared
 * machines vary from run to run.
 */
public final class BlasCeiling {

    /** Timed repetitions per shape; the median is reported. */
    public static final int REPETITIONS = 7;

    /** The batch sizes of the benchmark table. */
    public static final int[] BATCHES = {1, 8, 32, 128};

    /** One measured shape. */
    public record Result(String operation, int batch, double secondsPerCall, double gflops) {
        public double callsPerSecond() {
            return 1 / secondsPerCall;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-22s B=%-4d %9.2f us/call %12.0f calls/s %8.2f GFLOP/s",
                    operation, batch, secondsPerCall * 1e6, callsPerSecond(), gflops);
        }
    }

    private BlasCeiling() {
    }

    /**
     * Measures sgemv (both transposes) and the two sgemm shapes for every batch size.
     *
     * @param n             frame length and matrix size (320 in pdq)
     * @param batches       batch sizes B
     * @param nanosPerShape time budget of the timed repetitions of each shape (the warm-up adds a quarter)
     */
    public static List<Result> measure(Blas blas, int n, int[] batches, long nanosPerShape) {
        List<Result> results = new ArrayList<>();
        for (Transpose t : Transpose.values()) {
            results.add(gemv(blas, t, n, nanosPerShape));
        }
        for (int b : batches) {
            results.add(gemm(blas, Transpose.YES, b, n, nanosPerShape));
            results.add(gemm(blas, Transpose.NO, b, n, nanosPerShape));
        }
        return results;
    }

    /** y = op(K) x with K n x n: the B = 1 step of the solver. */
    public static Result gemv(Blas blas, Transpose trans, int n, long nanos) {
        Random rnd = new Random(42);
        FloatBuffer k = filled(blas, n * n, rnd), x = filled(blas, n, rnd), y = filled(blas, n, rnd);
        return time("sgemv " + trans, 1, 2.0 * n * n, nanos,
                () -> blas.sgemv(trans, n, n, 1f, k, 0, n, x, 0, 0f, y, 0));
    }

    /** Out = In op(K) with In batch x n and K n x n: Z = Y K^T for transK = YES, Y = Psi K for NO. */
    public static Result gemm(Blas blas, Transpose transK, int batch, int n, long nanos) {
        Random rnd = new Random(42);
        FloatBuffer k = filled(blas, n * n, rnd), in = filled(blas, batch * n, rnd), out = filled(blas, batch * n, rnd);
        String name = transK.transposed() ? "sgemm NO,YES (Y K^T)" : "sgemm NO,NO (Psi K)";
        return time(name, batch, 2.0 * batch * n * n, nanos,
                () -> blas.sgemm(Transpose.NO, transK, batch, n, n, 1f, in, 0, n, k, 0, n, 0f, out, 0, n));
    }

    /**
     * Out = A^T B with A and B batch x n (Out n x n): the gradient's sum of outer products over a batch of frames
     * (training's shape; the solver does not use it).
     */
    public static Result gemmOuter(Blas blas, int batch, int n, long nanos) {
        Random rnd = new Random(42);
        FloatBuffer a = filled(blas, batch * n, rnd), b = filled(blas, batch * n, rnd), out = filled(blas, n * n, rnd);
        return time("sgemm YES,NO (A^T B)", batch, 2.0 * batch * n * n, nanos,
                () -> blas.sgemm(Transpose.YES, Transpose.NO, n, n, batch, 1f, a, 0, n, b, 0, n, 0f, out, 0, n));
    }

    /**
     * The ceiling of a batch of {@code batch} frames split over {@code parts} threads as pdq's FrameParallelSolver
     * splits it (frames [w B/W, (w+1) B/W) to thread w): every thread runs its share's two calls of one iteration
     * back to back (sgemm NO,YES then NO,NO; the two sgemv for a share of one frame) on buffers of its own, all
     * threads at once, for the budget after a warm-up of a quarter of it. The batch's iteration ends when its
     * slowest share's does: returns batch / (the slowest thread's seconds per iteration), in frame-iterations per
     * second. Give it a single-threaded BLAS, as the solver has.
     */
    public static double parallelFrameIterations(Blas blas, int n, int batch, int parts, long nanos) {
        int w = Math.min(parts, batch);
        double[] secondsPerIteration = new double[w];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(w);
        Thread[] threads = new Thread[w];
        RuntimeException[] failure = new RuntimeException[1];
        for (int p = 0; p < w; p++) {
            int part = p;
            int share = (int) ((long) (p + 1) * batch / w - (long) p * batch / w);
            threads[p] = new Thread(() -> {
                try {
                    Runnable iteration = iteration(blas, n, share);
                    for (int phase = 0; phase < 2; phase++) { // warm-up, then the timed run, both all at once
                        start.await();
                        long budget = phase == 0 ? nanos / 4 : nanos;
                        long t0 = System.nanoTime();
                        long calls = 0;
                        do {
                            iteration.run();
                            calls++;
                        } while (System.nanoTime() - t0 < budget);
                        secondsPerIteration[part] = (System.nanoTime() - t0) * 1e-9 / calls;
                    }
                } catch (Exception e) {
                    failure[0] = new IllegalStateException("BlasCeiling.parallelFrameIterations: " + e, e);
                    start.reset(); // the others, waiting at the barrier or arriving at it, stop too
                }
            }, "pdq-ceiling-" + p);
            threads[p].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("BlasCeiling.parallelFrameIterations: interrupted", e);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        double slowest = 0;
        for (double t : secondsPerIteration) {
            slowest = Math.max(slowest, t);
        }
        return batch / slowest;
    }

    /** One solver iteration's two BLAS calls for a share of {@code frames} frames, on buffers of its own. */
    private static Runnable iteration(Blas blas, int n, int frames) {
        Random rnd = new Random(42);
        FloatBuffer k = filled(blas, n * n, rnd), in = filled(blas, frames * n, rnd), mid = filled(blas, frames * n, rnd),
                out = filled(blas, frames * n, rnd);
        if (frames == 1) {
            return () -> {
                blas.sgemv(Transpose.NO, n, n, 1f, k, 0, n, in, 0, 0f, mid, 0);
                blas.sgemv(Transpose.YES, n, n, 1f, k, 0, n, mid, 0, 0f, out, 0);
            };
        }
        return () -> {
            blas.sgemm(Transpose.NO, Transpose.YES, frames, n, n, 1f, in, 0, n, k, 0, n, 0f, mid, 0, n);
            blas.sgemm(Transpose.NO, Transpose.NO, frames, n, n, 1f, mid, 0, n, k, 0, n, 0f, out, 0, n);
        };
    }

    private static Result time(String operation, int batch, double flops, long budget, Runnable call) {
        long warmEnd = System.nanoTime() + budget / 4;
        long calls = 0;
        long start = System.nanoTime();
        do {
            call.run();
            calls++;
        } while (System.nanoTime() < warmEnd);
        double estimate = (double) (System.nanoTime() - start) / calls;
        long perRep = Math.max(1, (long) (budget / REPETITIONS / estimate));
        double[] seconds = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < perRep; i++) {
                call.run();
            }
            seconds[r] = (System.nanoTime() - t0) * 1e-9 / perRep;
        }
        Arrays.sort(seconds);
        double median = seconds[REPETITIONS / 2];
        return new Result(operation, batch, median, flops / median * 1e-9);
    }

    private static FloatBuffer filled(Blas blas, int length, Random rnd) {
        FloatBuffer buf = blas.allocate(length);
        for (int i = 0; i < length; i++) {
            buf.put(i, 2f * rnd.nextFloat() - 1f);
        }
        return buf;
    }

    /**
     * Prints the ceiling of each backend named (auto, native, java; default native and java) to stdout.
     * {@code -Dpdq.ceiling.ms=N} sets the time budget per shape (default 400 ms).
     */
    public static void main(String[] args) {
        long nanos = Long.getLong("pdq.ceiling.ms", 400) * 1_000_000L;
        List<String> choices = args.length > 0 ? List.of(args) : List.of("native", "java");
        for (String choice : choices) {
            Blas blas = Blases.select(BlasChoice.parse(choice));
            System.out.println("# " + blas.name() + ": " + blas.description());
            for (Result r : measure(blas, 320, BATCHES, nanos)) {
                System.out.println(r);
            }
        }
    }
}
