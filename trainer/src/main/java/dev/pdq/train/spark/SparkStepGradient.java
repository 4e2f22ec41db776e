package dev.pdq.train.spark;

import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.loop.StepGradient;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Locale;

/**
 * The gradient of a step's frames computed by the partitions of a {@link DistributedFrames}: synchronous data
 * parallelism. Per epoch one broadcast of the {@link EpochPlan}; per step one broadcast of K (k*n floats), one
 * {@link StepTask} per partition, and treeAggregate adding their {@link GradientSum}s to the driver. Every frame
 * of the step is computed exactly once (checked), so the step's loss and gradient are those of the single-process
 * engine up to the float rounding of how the sum is split. Plain frames (one frame an example, the default): the
 * loss through the averaged output of shifted grids is the single process's.
 *
 * <p>Also keeps the time a step took on the driver and in gradient code on the executors ({@link #timing()}).
 * Not thread-safe; does not own the frames (close them separately).
 */
public final class SparkStepGradient implements StepGradient {
    private final JavaSparkContext sc;
    private final DistributedFrames frames;
    private final ExecutorSpec spec;
    private final int treeDepth;
    private final TaskHook hook;
    private Broadcast<EpochPlan> plan;
    private long calls;
    private long stepNanos;
    private long computeMaxNanos;
    private long computeSumNanos;
    private long framesDone;

    /**
     * @param treeDepth depth of the treeAggregate (2: partitions' sums meet in sqrt(P) groups before the driver)
     * @param hook      called at the start of every task (fault-injection tests), or null
     */
    public SparkStepGradient(JavaSparkContext sc, DistributedFrames frames, ExecutorSpec spec, int treeDepth,
                             TaskHook hook) {
        if (treeDepth < 1) {
            throw new IllegalArgumentException("treeAggregate depth " + treeDepth + " must be at least 1");
        }
        this.sc = sc;
        this.frames = frames;
        this.spec = spec;
        this.treeDepth = treeDepth;
        this.hook = hook;
    }

    /**
     * Where the time of the steps so far went.
     *
     * @param steps          gradient calls
     * @param frames         frames computed
     * @param stepSeconds    wall time of the calls on the driver (broadcast, job, aggregation)
     * @param computeSeconds per step the longest task's time in gradient code, summed over the steps: the part of a
     *                       step no scheduling can remove
     * @param taskSeconds    every task's time in gradient code, summed
     */
    public record Timing(long steps, long frames, double stepSeconds, double computeSeconds, double taskSeconds) {
        /** The share of the driver's step time not spent computing on the busiest partition. */
        public double overheadShare() {
            return stepSeconds > 0 ? 1 - computeSeconds / stepSeconds : Double.NaN;
        }
    }

    public Timing timing() {
        return new Timing(calls, framesDone, stepNanos * 1e-9, computeMaxNanos * 1e-9, computeSumNanos * 1e-9);
    }

    @Override
    public int exampleCount() {
        return frames.frames();
    }

    @Override
    public int[] shifts(long seed, int epoch) {
        return FrameSet.shifts(seed, epoch, frames.utterances(), spec.n());
    }

    @Override
    public int utterances() {
        return frames.utterances();
    }

    @Override
    public int frameLength() {
        return spec.n();
    }

    @Override
    public int coefficients() {
        return spec.k();
    }

    @Override
    public int iterations() {
        return spec.iterations();
    }

    /** Any step: a partition computes its share in chunks. */
    @Override
    public int maxBatch() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void startEpoch(int epoch, int[] order, float[] gains, int[] shifts) {
        if (order.length != frames.frames()) {
            throw new IllegalArgumentException("epoch " + epoch + ": an order of " + order.length + " frames, the"
                    + " partitions hold " + frames.frames());
        }
        if (plan != null) {
            plan.destroy();
        }
        plan = sc.broadcast(frames.plan(epoch, order, gains, shifts));
    }

    @Override
    public double lossAndGradient(float[] k, float sigma, float tau, int from, int size, float[] gradOut) {
        if (plan == null) {
            throw new IllegalStateException("SparkStepGradient: startEpoch was not called");
        }
        if (from < 0 || size < 1 || from + size > frames.frames()) {
            throw new IllegalArgumentException("step frames " + from + " .. " + (from + size) + " not within the "
                    + frames.frames() + " frames");
        }
        long t0 = System.nanoTime();
        Broadcast<float[]> operator = sc.broadcast(k.clone());
        GradientSum sum;
        try {
            StepTask task = new StepTask(plan, operator, sigma, tau, from, size, spec, calls, hook);
            sum = frames.blocks().treeAggregate(GradientSum.empty(), task, GradientSum::merge, treeDepth);
        } finally {
            operator.destroy();
        }
        if (sum.frames() != size) {
            throw new IllegalStateException(String.format(Locale.ROOT, "step %d: the partitions computed %d frames,"
                    + " the step has %d", calls, sum.frames(), size));
        }
        sum.copyTo(gradOut);
        calls++;
        framesDone += size;
        stepNanos += System.nanoTime() - t0;
        computeMaxNanos += sum.computeNanosMax();
        computeSumNanos += sum.computeNanosSum();
        return sum.loss();
    }

    /** Gradient workspace lives on the executors. */
    @Override
    public long workspaceBytes() {
        return 0;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Spark %s, master %s, %d partitions of the training files, executor batch"
                        + " %d, treeAggregate depth %d, executors' BLAS (%s): %s", sc.version(), sc.master(),
                frames.partitions(), spec.chunk(), treeDepth, spec.backend(),
                String.join("; ", frames.executorBlas()));
    }

    /** Drops the epoch's broadcast (not the frames). */
    @Override
    public void close() {
        if (plan != null) {
            plan.destroy();
            plan = null;
        }
    }
}
