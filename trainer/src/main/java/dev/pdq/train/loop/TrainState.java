package dev.pdq.train.loop;

import dev.pdq.train.optim.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run needs to continue exactly where it stopped: K, Adam's moments and step count, the norm
 * tracker's warm-start vector, the step and epoch counters, the best K and its validation MSE, the early-stopping
 * counter, the divergence reference and the log rows. The epoch's shuffle and gains are recomputed from the seed
 * (see {@link dev.pdq.train.corpus.Seeds}), so no generator state is needed. Mutable; owned by one trainer.
 */
public final class TrainState {
    final int k;
    final int n;
    final float[] kMat;
    final Adam adam;
    final OperatorNorm norm;
    /** Epochs completed (0: only the initial validation, or nothing, done). */
    int epochsDone;
    /** Global steps done. */
    long step;
    /** MSE per sample of the first step's batch: the reference of the divergence check; NaN before it. */
    double referenceMse = Double.NaN;
    float[] bestK;
    double bestMse = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    int sinceBest;
    boolean stoppedEarly;
    final List<EpochRecord> log = new ArrayList<>();

    /** A fresh state starting from K (k x n row-major, copied). */
    public TrainState(float[] initial, int k, int n) {
        if (initial.length != k * n) {
            throw new IllegalArgumentException("initial K has " + initial.length + " values, k*n = " + (k * n));
        }
        this.k = k;
        this.n = n;
        this.kMat = initial.clone();
        this.adam = new Adam(k * n);
        this.norm = new OperatorNorm(k, n);
    }

    public int k() {
        return k;
    }

    public int n() {
        return n;
    }

    /** A copy of the current K. */
    public float[] operator() {
        return kMat.clone();
    }

    /** A copy of the best K so far (the initial K before any validation), or null before any. */
    public float[] bestOperator() {
        return bestK == null ? null : bestK.clone();
    }

    public double bestMse() {
        return bestMse;
    }

    /** The epoch whose K is the best (0: the initial K), -1 before any validation. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public int epochsDone() {
        return epochsDone;
    }

    public long step() {
        return step;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public List<EpochRecord> log() {
        return List.copyOf(log);
    }

    /** The log row of the best epoch, or null. */
    public EpochRecord bestRecord() {
        for (EpochRecord r : log) {
            if (r.epoch() == bestEpoch) {
                return r;
            }
        }
        return null;
    }

    public Adam adam() {
        return adam;
    }

    /** Whether two states are equal in everything that determines the rest of the run, bit for bit. */
    public boolean sameAs(TrainState o) {
        return k == o.k && n == o.n && java.util.Arrays.equals(kMat, o.kMat) && adam.sameState(o.adam)
                && java.util.Arrays.equals(norm.vector(), o.norm.vector()) && epochsDone == o.epochsDone
                && step == o.step && Double.compare(referenceMse, o.referenceMse) == 0
                && java.util.Arrays.equals(bestK, o.bestK) && Double.compare(bestMse, o.bestMse) == 0
                && bestEpoch == o.bestEpoch && sinceBest == o.sinceBest && stoppedEarly == o.stoppedEarly;
    }
}
