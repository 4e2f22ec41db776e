package dev.pdq.solver;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A batch split over W {@link PrimalDual}s, each solving its slice on a thread of its own: frames never interact in
 * the iteration, so the slices need no synchronization until the batch is done. Part 0 runs on the caller's thread,
 * parts 1..W-1 on daemon threads started here. With a single-threaded BLAS under each part this replaces the BLAS
 * library's own threading, which joins its threads twice an iteration (2L times a batch) and, with a thread
 * descheduled (the JIT compiling at a stream's start, another process), spins the others while it waits; here a
 * slowed part delays only the end of its batch.
 *
 * <p>Frames f of a batch of b go to part w = the one with w*b/W <= f < (w+1)*b/W: the split depends on b and W only,
 * so the output is the same from run to run. It differs in the last bits from one PrimalDual on the whole batch
 * (the BLAS sums in another order at another batch size), as it does with another BLAS thread count.
 *
 * <p>Nothing is allocated per batch: the hand-off is a volatile generation counter, an atomic count of parts still
 * running, and LockSupport.park/unpark.
 */
public final class FrameParallelSolver implements BatchSolver {
    private final PrimalDual[] parts;
    private final Thread[] workers; // workers[w] runs parts[w]; workers[0] is unused (the caller runs part 0)
    private final int[] first;
    private final int[] count;
    private final int n;
    private final int maxBatch;
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    private int iterations;

    /**
     * @param parts W >= 2 solvers with the same operator, steps and frame length, each with room for its share of
     *              the largest batch (ceil(maxBatch / W) frames); each must be used by this object only
     * @param maxBatch the largest batch {@link #load} takes
     */
    public FrameParallelSolver(PrimalDual[] parts, int maxBatch) {
        if (parts.length < 2) {
            throw new IllegalArgumentException("FrameParallelSolver: " + parts.length + " part(s); use the PrimalDual");
        }
        int share = share(maxBatch, parts.length);
        for (PrimalDual p : parts) {
            if (p.frameLength() != parts[0].frameLength() || p.maxBatch() < share) {
                throw new IllegalArgumentException("FrameParallelSolver: parts need frames of " + parts[0].frameLength()
                        + " samples and room for " + share + " frames");
            }
        }
        this.parts = parts.clone();
        this.n = parts[0].frameLength();
        this.maxBatch = maxBatch;
        this.first = new int[parts.length];
        this.count = new int[parts.length];
        this.workers = new Thread[parts.length];
        for (int w = 1; w < parts.length; w++) {
            Thread t = new Thread(new Worker(w), "pdq-solver-" + w);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /** The parts a batch of up to maxBatch frames is split into on {@code threads} threads: at most one a frame. */
    public static int parts(int threads, int maxBatch) {
        return Math.max(1, Math.min(threads, maxBatch));
    }

    /** The frames a part needs room for in batches of up to maxBatch split over {@code parts}: ceil(maxBatch / parts). */
    public static int share(int maxBatch, int parts) {
        return (maxBatch + parts - 1) / parts;
    }

    @Override
    public int frameLength() {
        return n;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    /** Sets {@link PrimalDual#setSilentFramesAreZero} on every part. */
    @Override
    public void setSilentFramesAreZero(boolean on) {
        for (PrimalDual p : parts) {
            p.setSilentFramesAreZero(on);
        }
    }

    /** W, the parts: one on the caller's thread, one on each worker thread. */
    @Override
    public int threads() {
        return parts.length;
    }

    /** Loads each part's slice on this thread (a pass over the batch; the iterations are where the time goes). */
    @Override
    public void load(float[] values, float[] belowIn, float[] aboveIn, int off, int batch, float unit) {
        if (batch <= 0 || batch > maxBatch) {
            throw new IllegalArgumentException("FrameParallelSolver.load: batch = " + batch + " not in 1.." + maxBatch);
        }
        int w = parts.length;
        for (int p = 0; p < w; p++) {
            first[p] = (int) ((long) p * batch / w);
            count[p] = (int) ((long) (p + 1) * batch / w) - first[p];
            if (count[p] > 0) {
                parts[p].load(values, belowIn, aboveIn, off + first[p] * n, count[p], unit);
            }
        }
    }

    @Override
    public void solve(int iterations) {
        if (closed) {
            throw new IllegalStateException("FrameParallelSolver: closed");
        }
        this.iterations = iterations;
        caller = Thread.currentThread();
        running.set(parts.length - 1);
        generation++; // publishes iterations, the loaded parts and the count above to the workers
        for (int w = 1; w < parts.length; w++) {
            LockSupport.unpark(workers[w]);
        }
        if (count[0] > 0) {
            parts[0].solve(iterations);
        }
        while (running.get() > 0) {
            LockSupport.park(this);
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("FrameParallelSolver: a part failed: " + t, t);
        }
    }

    @Override
    public void readPrimal(float[] dst, int off) {
        for (int p = 0; p < parts.length; p++) {
            if (count[p] > 0) {
                parts[p].readPrimal(dst, off + first[p] * n);
            }
        }
    }

    /** Stops and joins the worker threads; later calls of {@link #solve} fail. */
    @Override
    public void close() {
        closed = true;
        generation++;
        for (int w = 1; w < workers.length; w++) {
            LockSupport.unpark(workers[w]);
        }
        for (int w = 1; w < workers.length; w++) {
            try {
                workers[w].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Worker threads still alive (for tests: 0 after {@link #close}). */
    int threadsAlive() {
        int alive = 0;
        for (int w = 1; w < workers.length; w++) {
            alive += workers[w].isAlive() ? 1 : 0;
        }
        return alive;
    }

    /** A named class, not a lambda: no invokedynamic bootstrap at a stream's start. */
    private final class Worker implements Runnable {
        private final int part;

        Worker(int part) {
            this.part = part;
        }

        @Override
        public void run() {
            work(part);
        }
    }

    private void work(int w) {
        int seen = 0;
        while (true) {
            int g;
            while ((g = generation) == seen) {
                LockSupport.park(this);
            }
            seen = g;
            if (closed) {
                return;
            }
            try {
                if (count[w] > 0) {
                    parts[w].solve(iterations);
                }
            } catch (Throwable t) {
                failure = t;
            }
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }
}
