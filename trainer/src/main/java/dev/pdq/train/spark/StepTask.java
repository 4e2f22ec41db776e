package dev.pdq.train.spark;

import dev.pdq.quant.NodeQuantizer;
import dev.pdq.train.corpus.FrameBatch;
import dev.pdq.train.corpus.FrameSet;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;

/**
 * One step's work on one partition (the seqOp of the step's treeAggregate): the summed loss and gradient of the
 * step's frames that the partition holds, at the broadcast K, computed with the trainer's gradient code on the
 * executor ({@link ExecutorGradients}).
 *
 * <p>The partition's frames are taken in the step's order and computed in chunks of {@link ExecutorSpec#chunk()};
 * the result does not depend on which attempt or which executor computes it, so a retried task gives the same
 * gradient bit for bit.
 */
final class StepTask implements Function2<GradientSum, FrameBlock, GradientSum> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<EpochPlan> plan;
    private final Broadcast<float[]> operator;
    private final float sigma;
    private final float tau;
    private final int from;
    private final int size;
    private final ExecutorSpec spec;
    private final long step;
    private final TaskHook hook;

    /**
     * @param from first position of the step in the epoch's order
     * @param size frames of the step
     * @param step the step's index among the gradient's calls (for the hook)
     * @param hook called first, or null
     */
    StepTask(Broadcast<EpochPlan> plan, Broadcast<float[]> operator, float sigma, float tau, int from, int size,
             ExecutorSpec spec, long step, TaskHook hook) {
        this.plan = plan;
        this.operator = operator;
        this.sigma = sigma;
        this.tau = tau;
        this.from = from;
        this.size = size;
        this.spec = spec;
        this.step = step;
        this.hook = hook;
    }

    @Override
    public GradientSum call(GradientSum acc, FrameBlock block) {
        if (hook != null) {
            TaskContext tc = TaskContext.get();
            hook.beforeTask(step, block.partition(), tc == null ? 0 : tc.attemptNumber());
        }
        long t0 = System.nanoTime();
        EpochPlan p = plan.value();
        FrameSet frames = block.frames();
        int first = p.firstFrame()[block.partition()];
        int count = frames.count();
        // the step's frames that this partition holds, in the step's order, as local frame indices
        int[] local = new int[size];
        int m = 0;
        for (int i = from; i < from + size; i++) {
            int f = p.order()[i] - first;
            if (f >= 0 && f < count) {
                local[m++] = f;
            }
        }
        if (m == 0) {
            return acc.addIdle(System.nanoTime() - t0);
        }
        int u0 = p.firstUtterance()[block.partition()];
        float[] gains = p.gains() == null ? null : Arrays.copyOfRange(p.gains(), u0, u0 + frames.utterances());
        int[] shifts = p.shifts() == null ? null : Arrays.copyOfRange(p.shifts(), u0, u0 + frames.utterances());
        NodeQuantizer quantizer = spec.nodeQuantizer();
        float r = quantizer.nominalHalfWidth();
        float[] grad = new float[spec.k() * spec.n()];
        double loss = 0;
        ExecutorGradients.Worker w = ExecutorGradients.borrow(spec);
        try {
            w.method.setOperator(operator.value(), sigma, tau);
            for (int c = 0; c < m; c += spec.chunk()) {
                int cs = Math.min(spec.chunk(), m - c);
                frames.gather(local, c, cs, gains, shifts, quantizer, w.batch);
                FrameBatch fb = w.batch;
                if (c == 0) {
                    loss += w.method.lossAndGradient(fb.x, fb.below, fb.above, fb.clean, 0, cs, r, grad);
                } else {
                    loss += w.method.lossAndGradient(fb.x, fb.below, fb.above, fb.clean, 0, cs, r, w.partial);
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] += w.partial[i];
                    }
                }
            }
        } finally {
            ExecutorGradients.release(spec, w);
        }
        return acc.add(loss, m, grad, System.nanoTime() - t0);
    }
}
