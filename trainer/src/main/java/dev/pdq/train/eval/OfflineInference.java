package dev.pdq.train.eval;

import dev.pdq.solver.PrimalDual;

import java.util.List;

/**
 * Inference whose iteration count the caller controls per batch, on the runtime's frame grid ({@link Framing}):
 * every frame of every utterance becomes a solver row; rows are solved B at a time, across utterances.
 *
 * <ul>
 *   <li>{@link #converged}: optimality inference. A batch is iterated until, at one iteration, every frame's
 *       relative change ||y^{l+1} - y^l|| / max(||y^l||, ||x||) is at most tol, or until the cap. (||x|| in the
 *       scale because silent frames converge to y = 0, where a change relative to ||y^l|| alone would never get
 *       small; ||x|| is never 0 for a mid-rise quantizer.)</li>
 *   <li>{@link #curve}: the error after each of a list of iteration counts (the paper's Fig. 4), grid S = 1.</li>
 * </ul>
 * Not thread-safe: one instance per worker, with its own solver.
 */
public final class OfflineInference {
    private final PrimalDual solver;
    private final Framing framing;
    private final int n;
    private final int batch;
    private final float[] batchX;
    private final float[] batchBelow;
    private final float[] batchAbove;
    private final float[] batchY;
    private final float[] previous;
    private final double[] scale;
    private final int[] rowUtterance;
    private final long[] rowStart;

    /** Iterations run, summed over the frames, and the batches that stopped at the cap, of the last converged call. */
    private long frameIterations;
    private long frames;
    private int cappedBatches;
    private int batches;

    public OfflineInference(PrimalDual solver, Framing framing) {
        if (solver.frameLength() != framing.frameLength()) {
            throw new IllegalArgumentException("solver frame length " + solver.frameLength() + " != framing's "
                    + framing.frameLength());
        }
        this.solver = solver;
        this.framing = framing;
        this.n = framing.frameLength();
        this.batch = solver.maxBatch();
        this.batchX = new float[batch * n];
        this.batchBelow = new float[batch * n];
        this.batchAbove = new float[batch * n];
        this.batchY = new float[batch * n];
        this.previous = new float[batch * n];
        this.scale = new double[batch];
        this.rowUtterance = new int[batch];
        this.rowStart = new long[batch];
    }

    /** Receives each solved batch: rows 0..count-1 of batchY, their utterance and start. */
    private interface BatchStep {
        void solve(int count);
    }

    /** Cuts every utterance into frames and hands them to {@code step} B rows at a time (values and cells filled). */
    private void forEachBatch(List<EvalSignal> signals, BatchStep step) {
        int rows = 0;
        for (int u = 0; u < signals.size(); u++) {
            EvalSignal sig = signals.get(u);
            float[] x = sig.quantized();
            for (long start : framing.starts(x.length)) {
                framing.extract(x, start, batchX, rows * n);
                framing.extract(sig.below(), start, batchBelow, rows * n);
                framing.extract(sig.above(), start, batchAbove, rows * n);
                rowUtterance[rows] = u;
                rowStart[rows] = start;
                if (++rows == batch) {
                    step.solve(rows);
                    rows = 0;
                }
            }
        }
        if (rows > 0) {
            step.solve(rows);
        }
    }

    /**
     * Optimality inference of every utterance: returns the dequantized signals (same lengths as the inputs).
     *
     * @param unit          the scheme's nominal half width (frames are solved in their scale)
     * @param tol           relative change per iteration at which a frame counts as converged
     * @param maxIterations the cap
     */
    public float[][] converged(List<EvalSignal> signals, float unit, double tol, int maxIterations) {
        if (!(tol > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("optimality inference: tol = " + tol + " must be positive and the cap "
                    + maxIterations + " at least 1");
        }
        float[][] sums = new float[signals.size()][];
        for (int u = 0; u < sums.length; u++) {
            sums[u] = new float[signals.get(u).quantized().length];
        }
        frameIterations = 0;
        frames = 0;
        cappedBatches = 0;
        batches = 0;
        double tol2 = tol * tol;
        forEachBatch(signals, count -> {
            solver.load(batchX, batchBelow, batchAbove, 0, count, unit);
            float[] y = solver.primal();
            int len = count * n;
            for (int row = 0; row < count; row++) {
                scale[row] = SignalMetrics.energy(batchX, row * n, n);
            }
            int it = 0;
            boolean done = false;
            while (!done && it < maxIterations) {
                System.arraycopy(y, 0, previous, 0, len);
                solver.iterate();
                it++;
                done = true;
                for (int row = 0; row < count && done; row++) {
                    double change = 0;
                    double norm = 0;
                    for (int i = row * n, end = i + n; i < end; i++) {
                        double p = previous[i];
                        double d = y[i] - p;
                        change += d * d;
                        norm += p * p;
                    }
                    done = change <= tol2 * Math.max(norm, scale[row]);
                }
            }
            frameIterations += (long) it * count;
            frames += count;
            batches++;
            if (!done) {
                cappedBatches++;
            }
            solver.readPrimal(batchY, 0);
            for (int row = 0; row < count; row++) {
                framing.accumulate(sums[rowUtterance[row]], rowStart[row], batchY, row * n);
            }
        });
        for (int u = 0; u < sums.length; u++) {
            EvalSignal sig = signals.get(u);
            framing.finish(sums[u], sig.quantized(), sig.below(), sig.above());
        }
        return sums;
    }

    /** Mean iterations a frame took in the last {@link #converged} call. */
    public double meanIterations() {
        return frames == 0 ? 0 : (double) frameIterations / frames;
    }

    public long frameIterations() {
        return frameIterations;
    }

    public long frames() {
        return frames;
    }

    /** Batches of the last {@link #converged} call that reached the cap before converging. */
    public int cappedBatches() {
        return cappedBatches;
    }

    public int batches() {
        return batches;
    }

    /**
     * Error energies after each iteration count: {@code result[c][u]} = sum over utterance u of (y - s)^2 after
     * {@code checkpoints[c]} iterations. Needs a framing with S = 1 (the output is then the frame solutions).
     *
     * @param checkpoints strictly increasing, positive
     */
    public double[][] curve(List<EvalSignal> signals, float unit, int[] checkpoints) {
        if (framing.shifts() != 1) {
            throw new IllegalArgumentException("the iteration curve runs on one frame grid, not " + framing.shifts());
        }
        for (int c = 0; c < checkpoints.length; c++) {
            if (checkpoints[c] < 1 || (c > 0 && checkpoints[c] <= checkpoints[c - 1])) {
                throw new IllegalArgumentException("curve iteration counts must be positive and increasing: "
                        + java.util.Arrays.toString(checkpoints));
            }
        }
        double[][] err = new double[checkpoints.length][signals.size()];
        forEachBatch(signals, count -> {
            solver.load(batchX, batchBelow, batchAbove, 0, count, unit);
            int done = 0;
            for (int c = 0; c < checkpoints.length; c++) {
                solver.solve(checkpoints[c] - done);
                done = checkpoints[c];
                solver.readPrimal(batchY, 0);
                for (int row = 0; row < count; row++) {
                    float[] s = signals.get(rowUtterance[row]).clean();
                    long start = rowStart[row];
                    long to = Math.min(start + n, s.length);
                    double e = 0;
                    for (long t = Math.max(0, start); t < to; t++) {
                        double d = (double) batchY[row * n + (int) (t - start)] - s[(int) t];
                        e += d * d;
                    }
                    err[c][rowUtterance[row]] += e;
                }
            }
        });
        return err;
    }
}
