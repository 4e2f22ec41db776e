package dev.pdq.blas;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Helper threads for splitting one BLAS call. Each runs one part at a time and keeps polling for a short while
 * after it (yielding the core whenever another thread wants it) before parking, so that back-to-back calls (an
 * iterative solver makes two per iteration) do not each pay the wake-up of a parked thread: some 50 us on the
 * virtual machine measured, where a ForkJoinPool made a two-way split of a 140 us sgemm no faster than one
 * thread. OpenBLAS's own threads do the same.
 *
 * <p>Callers on several threads may share the helpers: a part for which no helper is free runs on the caller.
 * Helpers are daemon threads, started on first use and never stopped.
 */
final class HelperThreads {

    /** How long an idle helper polls for the next part before parking. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** How long a caller spins for a helper to finish before yielding the core to it. */
    static final long AWAIT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private static volatile Helper[] helpers = new Helper[0];

    private HelperThreads() {
    }

    /**
     * Runs body.accept(t) for t = 0 .. parts-1, part 0 and any part no helper takes on the calling thread, and
     * returns when all are done. An exception thrown by a part is rethrown here (the first one, after all parts
     * have finished).
     */
    static void run(int parts, IntConsumer body) {
        if (parts <= 1) {
            body.accept(0);
            return;
        }
        Helper[] team = helpers(parts - 1);
        Part[] given = new Part[parts];
        for (int t = 1; t < parts; t++) {
            Part part = new Part(body, t);
            if (team[t - 1].offer(part)) {
                given[t] = part;
            }
        }
        Throwable failure = null;
        for (int t = 0; t < parts; t++) {
            if (given[t] == null) {
                try {
                    body.accept(t);
                } catch (RuntimeException | Error e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        for (int t = 1; t < parts; t++) {
            if (given[t] != null) {
                given[t].awaitDone();
                failure = failure == null ? given[t].failure : failure;
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static Helper[] helpers(int count) {
        Helper[] team = helpers;
        if (team.length < count) {
            synchronized (HelperThreads.class) {
                team = helpers;
                if (team.length < count) {
                    Helper[] grown = java.util.Arrays.copyOf(team, count);
                    for (int i = team.length; i < count; i++) {
                        grown[i] = new Helper("pdq-blas-helper-" + (i + 1));
                    }
                    helpers = grown;
                    team = grown;
                }
            }
        }
        return team;
    }

    /** One part of a call, handed to a helper. */
    private static final class Part {
        final IntConsumer body;
        final int index;
        volatile boolean done;
        Throwable failure;  // written before done, read after it

        Part(IntConsumer body, int index) {
            this.body = body;
            this.index = index;
        }

        /** Spins briefly, then yields: if the helper was descheduled, spinning would only keep it waiting. */
        void awaitDone() {
            long start = System.nanoTime();
            while (!done) {
                if (System.nanoTime() - start < AWAIT_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    private static final class Helper implements Runnable {
        private final AtomicReference<Part> slot = new AtomicReference<>();
        private final Thread thread;

        Helper(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Takes the part if this helper is free; false if it is busy with another caller's part. */
        boolean offer(Part part) {
            if (!slot.compareAndSet(null, part)) {
                return false;
            }
            // Always: a parked helper wakes, and one about to park finds the permit and does not sleep. (Unparking
            // only a helper seen to be parked, a Dekker handshake on two volatiles, lost a wake-up under qemu-user's
            // aarch64 emulation, whose acquire/release loads and stores are not sequentially consistent on an x86-64
            // host: the helper slept with the part in its slot and the caller waited for ever.) Unparking a thread
            // that is not parked only sets its permit: a lock and an unlock, no system call.
            LockSupport.unpark(thread);
            return true;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Part part = slot.get();
                if (part != null) {
                    try {
                        part.body.accept(part.index);
                    } catch (Throwable e) {
                        part.failure = e;
                    }
                    slot.set(null);   // free before done: the caller may offer its next part at once
                    part.done = true;
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.yield(); // polls, yet gives the core away at once if another thread wants it
                } else {
                    // offer() unparks after setting the slot, so the permit covers a part set after this read
                    if (slot.get() == null) {
                        LockSupport.park(this);
                    }
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
