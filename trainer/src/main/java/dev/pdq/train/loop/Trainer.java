package dev.pdq.train.loop;

import dev.pdq.solver.StepSizes;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Seeds;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.optim.Adam;
import dev.pdq.train.optim.LinearSchedule;
import org.tinylog.Logger;

import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training loop. Epoch e (1-based) visits the training examples (frames, or segments with their shifted frames
 * when training through the averaged output of shifted grids, see {@link TrainingExamples}) in a permutation drawn
 * from (seed, e), in batches of B frames (the last one smaller), at the gains of (seed, e) (see {@link dev.pdq.train.corpus.Level}), with the
 * shifted-grid augmentation from the grid offsets of (seed, e) ({@link FrameSet#shifts}). Each
 * step:
 *
 * <pre>
 *   ||K|| by warm-started power iteration -> sigma, tau            (before every step, as the paper)
 *   loss, G = l(K), dl/dK on the batch                             (l = 0.5 sum_f ||y^L_f - s_f||^2, or another Loss)
 *   K = Adam(K, G / B_step, lr(step))                              (the gradient of the MEAN over the batch's frames)
 * </pre>
 *
 * with lr falling linearly per step from lrStart to lrEnd over every step of every epoch. Before the first epoch
 * the initial K is validated (epoch 0 of the log, the first "best"); after every epoch K is validated (classical
 * inference at L on the validation files), the best K by validation MSE kept, and {@link EpochSink#epochEnd}
 * called (which writes the model, log, plots and checkpoint). With patience P > 0 the run stops after P epochs
 * without improvement.
 *
 * <p>Where the examples live and how a step's gradient is computed is the {@link StepGradient}'s business (one
 * process, or the executors of a Spark cluster); everything above happens here, the same for every engine.
 *
 * <p>Divergence: a non-finite batch loss or gradient, a non-finite K after the update, a batch MSE above
 * explodeFactor times the first step's, or a non-finite validation MSE throws {@link TrainingDivergedException}
 * naming the epoch and step; nothing is written then, so the files of the last completed epoch (its checkpoint and
 * the model of the best K) stay as they were.
 */
public final class Trainer {
    /** sigma / tau of the paper's code, what training runs with ({@link StepSizes}). */
    public static final double STEP_RATIO = StepSizes.PAPER_RATIO;

    /** Called after the initial validation and after every epoch, with the state as it then is. */
    public interface EpochSink {
        void epochEnd(TrainState state) throws IOException;
    }

    private final TrainConfig cfg;
    private final StepGradient gradient;
    /** Examples per step: the batch of frames holds this many whole examples. */
    private final int perStep;
    private final Validation.Validator validator;
    private final EpochSink sink;
    private final Progress progress;
    private final int n;

    /**
     * A trainer on any engine's step gradient (the caller closes it).
     *
     * @throws IllegalArgumentException if the gradient does not fit the configuration (batch, L)
     */
    public Trainer(TrainConfig cfg, StepGradient gradient, Validation.Validator validator, EpochSink sink,
                   Progress progress) {
        if (gradient.iterations() != cfg.iterations()) {
            throw new IllegalArgumentException("gradient runs L = " + gradient.iterations() + ", config says "
                    + cfg.iterations());
        }
        if (gradient.exampleCount() < 1) {
            throw new IllegalArgumentException("no training examples");
        }
        this.cfg = cfg;
        this.gradient = gradient;
        this.perStep = Math.max(1, cfg.batch() / gradient.framesPerExample());
        if (perStep * gradient.framesPerExample() > gradient.maxBatch()) {
            throw new IllegalArgumentException("a step of " + perStep + " examples of " + gradient.framesPerExample()
                    + " frames exceeds the gradient's batch " + gradient.maxBatch());
        }
        this.validator = validator;
        this.sink = sink;
        this.progress = progress;
        this.n = gradient.frameLength();
    }

    /** The single-process trainer: examples in memory, {@code gradient} over them (the caller closes it). */
    public Trainer(TrainConfig cfg, TrainingExamples train, GradientMethod gradient, Validation.Validator validator,
                   EpochSink sink, Progress progress) {
        this(cfg, checked(cfg, new LocalStepGradient(train, gradient, cfg.nodeQuantizer())), validator, sink,
                progress);
    }

    private static StepGradient checked(TrainConfig cfg, StepGradient g) {
        if (g.maxBatch() < cfg.batch()) {
            throw new IllegalArgumentException("gradient takes " + g.maxBatch() + " frames, batch is " + cfg.batch());
        }
        return g;
    }

    /** The schedule of this run: every step of every epoch. */
    public LinearSchedule schedule() {
        return new LinearSchedule(cfg.lrStart(), cfg.lrEnd(), (long) cfg.epochs() * cfg.stepsPerEpoch(gradient.exampleCount(), perStep));
    }

    /** The visiting order of epoch e: a permutation of the frames drawn from (seed, e) by Fisher-Yates. */
    public static int[] permutation(int count, long seed, int epoch) {
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, Seeds.SHUFFLE, epoch));
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The visiting order of epoch e with the corpora balanced: as many examples as there are (count), each of the C
     * corpora that has examples contributing count / C of them (the first count mod C one more), drawn from its own
     * examples in
     * permutations of (seed, e, corpus), one after the other while the quota lasts (so a small corpus repeats and
     * a large one is sampled without repetition); then the whole list permuted by (seed, e).
     */
    public static int[] balanced(int[] corpusOf, long seed, int epoch) {
        int count = corpusOf.length;
        int corpora = 0;
        for (int c : corpusOf) {
            corpora = Math.max(corpora, c + 1);
        }
        int[][] members = new int[corpora][];
        int[] sizes = new int[corpora];
        for (int c : corpusOf) {
            sizes[c]++;
        }
        for (int c = 0; c < corpora; c++) {
            members[c] = new int[sizes[c]];
            sizes[c] = 0;
        }
        for (int e = 0; e < count; e++) {
            members[corpusOf[e]][sizes[corpusOf[e]]++] = e;
        }
        int filled = 0;
        for (int[] m : members) {
            filled += m.length > 0 ? 1 : 0;
        }
        int[] order = new int[count];
        int at = 0;
        for (int c = 0, j = 0; c < corpora; c++) {
            if (members[c].length == 0) {
                continue;
            }
            int quota = count / filled + (j++ < count % filled ? 1 : 0);
            int round = 0;
            while (quota > 0 && members[c].length > 0) {
                int[] p = permutation(members[c].length, Seeds.mix(seed, Seeds.SHUFFLE, epoch, c), round++);
                for (int i = 0; i < p.length && quota > 0; i++, quota--) {
                    order[at++] = members[c][p[i]];
                }
            }
        }
        int[] mix = permutation(count, seed, epoch);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = order[mix[i]];
        }
        return out;
    }

    /**
     * Trains from {@code state} (fresh or from a checkpoint) to the last epoch or an early stop. Modifies state.
     *
     * @throws TrainingDivergedException if the run diverges (state is then left mid-epoch; do not save it)
     */
    public TrainState run(TrainState state) throws IOException {
        if (state.k != gradient.coefficients() || state.n != n) {
            throw new IllegalArgumentException("state K is " + state.k + " x " + state.n + ", gradient's "
                    + gradient.coefficients() + " x " + gradient.frameLength());
        }
        if (state.log.isEmpty()) {
            validateInitial(state);
        }
        if (state.stoppedEarly) {
            Logger.info("the run had stopped early after epoch {}; nothing left to do", state.epochsDone);
            return state;
        }
        LinearSchedule schedule = schedule();
        int count = gradient.exampleCount();
        int[] corpusOf = cfg.balanceCorpora() ? gradient.corpusOfExamples() : null;
        if (cfg.balanceCorpora() && corpusOf == null) {
            throw new IllegalArgumentException("balanced sampling needs the corpus of every example, which "
                    + gradient.describe() + " does not know");
        }
        int steps = cfg.stepsPerEpoch(count, perStep);
        int lossFrames = gradient.lossFramesPerExample();
        float[] grad = new float[state.k * n];
        for (int epoch = state.epochsDone + 1; epoch <= cfg.epochs(); epoch++) {
            int[] order = cfg.balanceCorpora() ? balanced(corpusOf, cfg.seed(), epoch)
                    : permutation(count, cfg.seed(), epoch);
            float[] gains = cfg.level().trainingGains(cfg.seed(), epoch, gradient.utterances());
            int[] shifts = cfg.shiftGrid() ? gradient.shifts(cfg.seed(), epoch) : null;
            gradient.startEpoch(epoch, order, gains, shifts);
            HeapPeak.reset();
            long t0 = System.nanoTime();
            double lrFirst = schedule.rate(state.step);
            double lrLast = lrFirst;
            double errorSum = 0;
            long lossFramesDone = 0;
            progress.start(String.format(Locale.ROOT, "epoch %d/%d", epoch, cfg.epochs()), steps);
            try {
                for (int j = 0; j < steps; j++) {
                    int from = j * perStep;
                    int size = Math.min(perStep, count - from);
                    state.norm.update(state.kMat);
                    double loss = gradient.lossAndGradient(state.kMat, state.norm.sigma(STEP_RATIO),
                            state.norm.tau(STEP_RATIO), from, size, grad);
                    int frames = size * lossFrames;
                    double mse = 2 * loss / ((double) frames * n);
                    checkLoss(state, epoch, j, mse);
                    float inv = 1f / frames;
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] *= inv;
                    }
                    lrLast = schedule.rate(state.step);
                    try {
                        state.adam.step(state.kMat, grad, lrLast);
                    } catch (Adam.NonFiniteException e) {
                        throw diverged(epoch, j, state.step, "the gradient is not finite (" + e.getMessage() + ")");
                    }
                    for (int i = 0; i < state.kMat.length; i++) {
                        if (!Float.isFinite(state.kMat[i])) {
                            throw diverged(epoch, j, state.step, "K[" + i / n + "][" + i % n
                                    + "] is not finite after the update");
                        }
                    }
                    state.step++;
                    errorSum += 2 * loss;
                    lossFramesDone += frames;
                    double seconds = (System.nanoTime() - t0) * 1e-9;
                    progress.update(j + 1, String.format(Locale.ROOT, "mse %.3e, %.0f frames/s", errorSum
                            / ((double) lossFramesDone * n), lossFramesDone / seconds));
                }
            } finally {
                progress.close();
            }
            double trainSeconds = (System.nanoTime() - t0) * 1e-9;
            long v0 = System.nanoTime();
            Validation v = validator.validate(state.kMat);
            double validSeconds = (System.nanoTime() - v0) * 1e-9;
            if (!Double.isFinite(v.mse())) {
                throw diverged(epoch, steps - 1, state.step - 1, "the validation MSE is " + v.mse());
            }
            boolean best = v.mse() < state.bestMse;
            if (best) {
                state.bestMse = v.mse();
                state.bestK = state.kMat.clone();
                state.bestEpoch = epoch;
                state.sinceBest = 0;
            } else {
                state.sinceBest++;
            }
            double heap = HeapPeak.peakMib();
            EpochRecord rec = new EpochRecord(epoch, state.step, lrFirst, lrLast,
                    errorSum / ((double) lossFramesDone * n), v.mse(), v.snrDb(), v.snrOverallDb(), v.segSnrDb(),
                    trainSeconds, validSeconds, lossFramesDone / trainSeconds, heap, best, v.corpora());
            state.log.add(rec);
            state.epochsDone = epoch;
            Logger.info(String.format(Locale.ROOT, "epoch %d/%d: train mse %.4e, valid mse %.4e, valid SNR %.3f dB"
                            + " (mean per file%s)%s, %.0f frames/s, %.1f s + %.1f s validation, peak heap %.0f MiB",
                    epoch, cfg.epochs(), rec.trainMse(), v.mse(), v.snrDb(),
                    v.corpora().isEmpty() ? "" : "; " + v.corpora(), best ? ", best so far" : "",
                    rec.framesPerSecond(), trainSeconds, validSeconds, heap));
            if (cfg.patience() > 0 && state.sinceBest >= cfg.patience() && epoch < cfg.epochs()) {
                state.stoppedEarly = true;
                Logger.info("early stop: no better validation MSE for {} epoch(s); best is epoch {}", state.sinceBest,
                        state.bestEpoch);
            }
            sink.epochEnd(state);
            if (state.stoppedEarly) {
                break;
            }
        }
        return state;
    }

    private void validateInitial(TrainState state) throws IOException {
        HeapPeak.reset();
        long v0 = System.nanoTime();
        Validation v = validator.validate(state.kMat);
        double validSeconds = (System.nanoTime() - v0) * 1e-9;
        if (!Double.isFinite(v.mse())) {
            throw new TrainingDivergedException(0, 0, "the initial operator's validation MSE is " + v.mse());
        }
        state.bestMse = v.mse();
        state.bestK = state.kMat.clone();
        state.bestEpoch = 0;
        state.sinceBest = 0;
        state.log.add(new EpochRecord(0, 0, Double.NaN, Double.NaN, Double.NaN, v.mse(), v.snrDb(),
                v.snrOverallDb(), v.segSnrDb(), 0, validSeconds, Double.NaN, HeapPeak.peakMib(), true, v.corpora()));
        Logger.info(String.format(Locale.ROOT, "initial operator: valid mse %.4e, valid SNR %.3f dB (mean per file%s),"
                + " %.3f dB overall", v.mse(), v.snrDb(), v.corpora().isEmpty() ? "" : "; " + v.corpora(),
                v.snrOverallDb()));
        sink.epochEnd(state);
    }

    private void checkLoss(TrainState state, int epoch, int j, double mse) {
        if (!Double.isFinite(mse)) {
            throw diverged(epoch, j, state.step, "the batch loss is " + mse);
        }
        if (Double.isNaN(state.referenceMse)) {
            state.referenceMse = mse;
        } else if (mse > cfg.explodeFactor() * state.referenceMse) {
            throw diverged(epoch, j, state.step, String.format(Locale.ROOT,
                    "the batch MSE %.3e exploded (more than %.0e times the first step's %.3e)", mse,
                    cfg.explodeFactor(), state.referenceMse));
        }
    }

    private static TrainingDivergedException diverged(int epoch, int j, long step, String why) {
        return new TrainingDivergedException(epoch, step, String.format(Locale.ROOT,
                "training diverged in epoch %d at step %d of the epoch (global step %d): %s", epoch, j + 1, step,
                why));
    }
}
