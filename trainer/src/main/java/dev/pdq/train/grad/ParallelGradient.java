package dev.pdq.train.grad;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Splits a batch over W workers (each a {@link GradientMethod} with its own solver and workspace, all given the same
 * K and steps), runs them on W threads (the caller's and W - 1 pool threads) and sums their losses and gradients.
 * The batch is cut into W contiguous parts whose sizes differ by at most one; the sum runs in worker order, so the
 * result does not depend on thread timing.
 *
 * <p>With a multi-threaded native BLAS, give it one thread per worker, or the workers' BLAS threads compete.
 * Not thread-safe itself; {@link #close()} stops the pool.
 */
public final class ParallelGradient implements GradientMethod {
    private final List<GradientMethod> workers;
    private final float[][] partial;
    private final ExecutorService pool;
    private final int maxBatch;

    /**
     * @param workers   number of workers W (at least 1)
     * @param maxBatch  the largest batch a call accepts; worker w is built for ceil(maxBatch / W) frames
     * @param factory   builds worker w (0..W-1) for the given per-worker batch: {@code perWorkerBatch -> method}
     */
    public static ParallelGradient of(int workers, int maxBatch, IntFunction<GradientMethod> factory) {
        if (workers < 1) {
            throw new IllegalArgumentException("ParallelGradient: workers = " + workers + " must be at least 1");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("ParallelGradient: maxBatch = " + maxBatch + " must be at least 1");
        }
        int per = (maxBatch + workers - 1) / workers;
        List<GradientMethod> list = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            list.add(factory.apply(per));
        }
        return new ParallelGradient(list, maxBatch);
    }

    private ParallelGradient(List<GradientMethod> workers, int maxBatch) {
        GradientMethod first = workers.get(0);
        int per = (maxBatch + workers.size() - 1) / workers.size();
        for (GradientMethod w : workers) {
            if (w.frameLength() != first.frameLength() || w.coefficients() != first.coefficients()
                    || w.iterations() != first.iterations() || w.maxBatch() < per) {
                throw new IllegalArgumentException("ParallelGradient: workers differ in n, k or L, or one takes fewer"
                        + " than " + per + " frames");
            }
        }
        this.workers = List.copyOf(workers);
        this.maxBatch = maxBatch;
        this.partial = new float[workers.size()][first.coefficients() * first.frameLength()];
        this.pool = workers.size() > 1 ? Executors.newFixedThreadPool(workers.size() - 1, r -> {
            Thread t = new Thread(r, "pdq-gradient-worker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public int workers() {
        return workers.size();
    }

    @Override
    public int frameLength() {
        return workers.get(0).frameLength();
    }

    @Override
    public int coefficients() {
        return workers.get(0).coefficients();
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public int iterations() {
        return workers.get(0).iterations();
    }

    /** Worker 0's loss (every worker has its own, built alike by the factory). */
    @Override
    public Loss loss() {
        return workers.get(0).loss();
    }

    /** Every worker estimates ||K|| (in parallel); all then take worker 0's sigma and tau. */
    @Override
    public void setOperator(float[] op) {
        run(workers.size(), w -> {
            workers.get(w).setOperator(op);
            return 0.0;
        });
        setSteps(sigma(), tau());
    }

    @Override
    public void setOperator(float[] op, float sigma, float tau) {
        for (GradientMethod w : workers) {
            w.setOperator(op, sigma, tau);
        }
    }

    @Override
    public void setSteps(float sigma, float tau) {
        for (GradientMethod w : workers) {
            w.setSteps(sigma, tau);
        }
    }

    @Override
    public float sigma() {
        return workers.get(0).sigma();
    }

    @Override
    public float tau() {
        return workers.get(0).tau();
    }

    @Override
    public double lossAndGradient(float[] x, float[] s, int first, int batch, float r, float[] gradOut) {
        return split(first, batch, gradOut,
                (w, lo, count) -> workers.get(w).lossAndGradient(x, s, lo, count, r, partial[w]));
    }

    @Override
    public double lossAndGradient(float[] x, float[] below, float[] above, float[] s, int first, int batch,
                                  float unit, float[] gradOut) {
        return split(first, batch, gradOut,
                (w, lo, count) -> workers.get(w).lossAndGradient(x, below, above, s, lo, count, unit, partial[w]));
    }

    /** Worker w's share: frames first .. first+count-1, its gradient into partial[w]. */
    private interface Share {
        double lossAndGradient(int worker, int first, int count);
    }

    /** Cuts the batch into contiguous parts, runs them, sums losses and gradients in worker order. */
    private double split(int first, int batch, float[] gradOut, Share share) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("ParallelGradient.lossAndGradient: batch = " + batch + " not in 1.."
                    + maxBatch);
        }
        int len = coefficients() * frameLength();
        if (gradOut.length < len) {
            throw new IllegalArgumentException("ParallelGradient.lossAndGradient: gradOut has " + gradOut.length
                    + " floats, needs k*n = " + len);
        }
        int used = Math.min(workers.size(), batch);
        double[] losses = run(used, w -> {
            int lo = first + (int) ((long) batch * w / used);
            int hi = first + (int) ((long) batch * (w + 1) / used);
            return share.lossAndGradient(w, lo, hi - lo);
        });
        double loss = 0;
        System.arraycopy(partial[0], 0, gradOut, 0, len);
        for (int w = 0; w < used; w++) {
            loss += losses[w];
            if (w > 0) {
                float[] p = partial[w];
                for (int i = 0; i < len; i++) {
                    gradOut[i] += p[i];
                }
            }
        }
        return loss;
    }

    private interface Task {
        double call(int worker);
    }

    /** Runs task(0..count-1): worker 0 on this thread, the others on the pool; rethrows the first failure. */
    private double[] run(int count, Task task) {
        double[] out = new double[count];
        List<Future<Double>> futures = new ArrayList<>(count);
        for (int w = 1; w < count; w++) {
            int id = w;
            futures.add(pool.submit(() -> task.call(id)));
        }
        RuntimeException failure = null;
        try {
            out[0] = task.call(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int w = 1; w < count; w++) {
            try {
                out[w] = futures.get(w - 1).get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    if (c instanceof Error err) {
                        throw err;
                    }
                    failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ParallelGradient: interrupted while waiting for worker " + w, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    @Override
    public long workspaceBytes() {
        long sum = 4L * partial.length * partial[0].length;
        for (GradientMethod w : workers) {
            sum += w.workspaceBytes();
        }
        return sum;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (GradientMethod w : workers) {
            w.close();
        }
    }
}
