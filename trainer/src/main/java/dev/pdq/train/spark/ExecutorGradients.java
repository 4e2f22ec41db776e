package dev.pdq.train.spark;

import dev.pdq.train.corpus.FrameBatch;
import dev.pdq.train.grad.GradientMethod;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Gradient workers of this executor JVM, kept between tasks: a worker's workspace (the solver's buffers, native
 * memory with OpenBLAS) is allocated once per spec and reused by every later step, instead of once per task. A task
 * borrows a worker, computes, and gives it back; there are as many workers as tasks ran at once.
 */
final class ExecutorGradients {
    /** A gradient method and the gather buffers of one chunk. */
    static final class Worker {
        final GradientMethod method;
        final FrameBatch batch;
        final float[] partial;

        Worker(ExecutorSpec spec) {
            this.method = spec.newGradient();
            this.batch = new FrameBatch(spec.chunk(), spec.n());
            this.partial = new float[spec.k() * spec.n()];
        }
    }

    private static final Map<ExecutorSpec, ConcurrentLinkedDeque<Worker>> IDLE = new ConcurrentHashMap<>();

    private ExecutorGradients() {
    }

    static Worker borrow(ExecutorSpec spec) {
        Worker w = IDLE.computeIfAbsent(spec, s -> new ConcurrentLinkedDeque<>()).pollFirst();
        return w != null ? w : new Worker(spec);
    }

    /** Gives a worker back (also after a failed call: every call starts from K and the frames again). */
    static void release(ExecutorSpec spec, Worker w) {
        IDLE.computeIfAbsent(spec, s -> new ConcurrentLinkedDeque<>()).addFirst(w);
    }
}
