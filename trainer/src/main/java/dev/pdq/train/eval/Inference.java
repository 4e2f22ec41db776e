package dev.pdq.train.eval;

import dev.pdq.blas.Blas;
import dev.pdq.operator.Operator;
import dev.pdq.stream.DequantizerSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Dequantizes and scores a set of utterances with an operator, on W worker threads (utterance i goes to worker
 * i mod W; each worker has its own solver, made as the runtime makes it: {@link Operator#newSolver}). Results do
 * not depend on W beyond the float rounding of batched BLAS calls.
 */
public final class Inference {
    private final Blas blas;
    private final int threads;
    private final int batch;

    /**
     * @param threads worker threads (with a native BLAS, give it one thread per worker)
     * @param batch   frames per solver call
     */
    private boolean silentZero;
    private boolean quietFallback;

    /** The runtime's quiet fallback in classical inference (see StreamDequantizer). */
    public Inference withQuietFallback(boolean on) {
        quietFallback = on;
        return this;
    }

    /** Silent frames (every cell holds 0) come out as 0 in classical inference (see PrimalDual#isSilent). */
    public Inference withSilentZero(boolean on) {
        silentZero = on;
        return this;
    }

    public Inference(Blas blas, int threads, int batch) {
        if (threads < 1 || batch < 1) {
            throw new IllegalArgumentException("inference: threads = " + threads + " and batch = " + batch
                    + " must be at least 1");
        }
        this.blas = blas;
        this.threads = threads;
        this.batch = batch;
    }

    /** Optimality inference's scores with its iteration statistics. */
    public record Optimal(List<FileScore> scores, double meanIterations, int cappedBatches, int batches) {
    }

    /** MSE and mean per-file SNR after each iteration count. */
    public record Curve(int[] iterations, double[] mse, double[] snrMeanPerFile) {
    }

    /** Classical inference: L iterations a frame on S grids, through the runtime's streaming dequantizer. */
    public List<FileScore> classical(Operator op, int shifts, int iterations, List<EvalSignal> signals) {
        List<List<FileScore>> parts = Workers.run(workers(signals), w -> {
            StreamInference inference = new StreamInference(op, blas,
                    new DequantizerSettings(1, shifts, batch, iterations, silentZero, quietFallback));
            List<FileScore> mine = new ArrayList<>();
            for (int i = w; i < signals.size(); i += workers(signals)) {
                EvalSignal s = signals.get(i);
                mine.add(s.score(inference.dequantize(s)));
            }
            return mine;
        });
        return interleave(parts, signals.size());
    }

    /** Optimality inference: every batch iterated until converged (relative change below tol) or the cap. */
    public Optimal optimal(Operator op, int shifts, double tol, int maxIterations, List<EvalSignal> signals) {
        float unit = op.unit();
        int w0 = workers(signals);
        List<OptimalPart> parts = Workers.run(w0, w -> {
            OfflineInference inference = new OfflineInference(op.newSolver(blas, batch), new Framing(op.n(), shifts));
            List<EvalSignal> mine = new ArrayList<>();
            for (int i = w; i < signals.size(); i += w0) {
                mine.add(signals.get(i));
            }
            float[][] y = inference.converged(mine, unit, tol, maxIterations);
            List<FileScore> scores = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++) {
                EvalSignal s = mine.get(i);
                scores.add(s.score(y[i]));
            }
            return new OptimalPart(scores, inference.frameIterations(), inference.frames(),
                    inference.cappedBatches(), inference.batches());
        });
        List<List<FileScore>> scoreParts = new ArrayList<>();
        long frameIterations = 0;
        long frames = 0;
        int capped = 0;
        int batches = 0;
        for (OptimalPart p : parts) {
            scoreParts.add(p.scores());
            frameIterations += p.frameIterations();
            frames += p.frames();
            capped += p.capped();
            batches += p.batches();
        }
        return new Optimal(interleave(scoreParts, signals.size()), frames == 0 ? 0 : (double) frameIterations / frames,
                capped, batches);
    }

    /** One worker's share of an optimality run. */
    private record OptimalPart(List<FileScore> scores, long frameIterations, long frames, int capped, int batches) {
    }

    /** The error after each of the (increasing) iteration counts, on one frame grid. */
    public Curve curve(Operator op, int[] iterations, List<EvalSignal> signals) {
        float unit = op.unit();
        int w0 = workers(signals);
        List<double[][]> parts = Workers.run(w0, w -> {
            OfflineInference inference = new OfflineInference(op.newSolver(blas, batch), new Framing(op.n(), 1));
            List<EvalSignal> mine = new ArrayList<>();
            for (int i = w; i < signals.size(); i += w0) {
                mine.add(signals.get(i));
            }
            return inference.curve(mine, unit, iterations);
        });
        double[] mse = new double[iterations.length];
        double[] snr = new double[iterations.length];
        long samples = 0;
        for (EvalSignal s : signals) {
            samples += s.clean().length;
        }
        for (int c = 0; c < iterations.length; c++) {
            double err = 0;
            double snrSum = 0;
            for (int w = 0; w < w0; w++) {
                double[] e = parts.get(w)[c];
                for (int j = 0; j < e.length; j++) {
                    EvalSignal s = signals.get(w + j * w0);
                    err += e[j];
                    snrSum += SignalMetrics.snrDb(SignalMetrics.energy(s.clean(), 0, s.clean().length), e[j]);
                }
            }
            mse[c] = err / samples;
            snr[c] = snrSum / signals.size();
        }
        return new Curve(iterations.clone(), mse, snr);
    }

    /** The scores of the quantized input itself. */
    public static List<FileScore> input(List<EvalSignal> signals) {
        List<FileScore> out = new ArrayList<>(signals.size());
        for (EvalSignal s : signals) {
            out.add(s.inputScore());
        }
        return out;
    }

    private int workers(List<EvalSignal> signals) {
        return Math.max(1, Math.min(threads, signals.size()));
    }


    /** Worker w's j-th result is utterance w + j*W: back into utterance order. */
    private static List<FileScore> interleave(List<List<FileScore>> parts, int size) {
        List<FileScore> out = new ArrayList<>(size);
        int w0 = parts.size();
        for (int i = 0; i < size; i++) {
            out.add(parts.get(i % w0).get(i / w0));
        }
        return out;
    }
}
