package dev.pdq.train.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs W tasks on W threads (the caller's and W - 1 others) and waits for all. Each task gets its worker index and
 * builds its own solver; results come back in worker order, so nothing depends on thread timing.
 */
public final class Workers {
    private Workers() {
    }

    public interface Task<R> {
        R run(int worker) throws Exception;
    }

    /** Runs task(0..workers-1); rethrows the first failure (unchecked, its cause kept). */
    public static <R> List<R> run(int workers, Task<R> task) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers = " + workers + " must be at least 1");
        }
        List<R> out = new ArrayList<>(workers);
        if (workers == 1) {
            out.add(call(task, 0));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "pdq-eval-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                int id = w;
                futures.add(pool.submit(() -> task.run(id)));
            }
            RuntimeException failure = null;
            R first = null;
            try {
                first = call(task, 0);
            } catch (RuntimeException e) {
                failure = e;
            }
            out.add(first);
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Error err) {
                        throw err;
                    }
                    if (failure == null) {
                        failure = c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
                    }
                    out.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a worker", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R call(Task<R> task, int w) {
        try {
            return task.run(w);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
