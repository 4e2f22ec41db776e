package dev.pdq.train.loop;

import dev.pdq.blas.JavaBlas;
import dev.pdq.operator.Dct;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Utterance;
import dev.pdq.train.eval.ClassicalValidator;
import dev.pdq.train.eval.EvalSignal;
import dev.pdq.train.eval.Inference;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.testing.Wavs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A tiny synthetic training problem (n = k = 16, 4 bits, L = 5, b = 3) that trains in well under a second. */
final class TinyRun {
    static final int N = 16;
    static final int BITS = 4;
    static final int L = 5;
    static final int RATE = 16000;

    private TinyRun() {
    }

    static TrainConfig config(int epochs, double lrStart, double lrEnd, int patience) {
        return TrainConfig.builder().mode(GradientMode.TRUNCATED).iterations(L).backpropSteps(3).alpha(1f)
                .epochs(epochs).batch(4).learningRate(lrStart, lrEnd).seed(11).patience(patience).bits(BITS)
                .level(Level.peak()).build();
    }

    /** 48 frames of 16 samples cut from smooth signals (peak-normalized per signal). */
    static FrameSet frames() {
        List<Utterance> list = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            list.add(new Utterance(Path.of("t" + u + ".wav"), 0, 1, RATE, Wavs.smooth(100 + u, 8 * N, RATE, 900,
                    0.8)));
        }
        return FrameSet.of(list, N);
    }

    static List<EvalSignal> validation() {
        List<Utterance> list = new ArrayList<>();
        for (int u = 0; u < 3; u++) {
            list.add(new Utterance(Path.of("v" + u + ".wav"), 0, 1, RATE, Wavs.smooth(200 + u, 5 * N + 7, RATE, 900,
                    0.7)));
        }
        return EvalSignal.of(list, Level.peak(), new Quantizer(BITS));
    }

    static Function<float[], Operator> operator() {
        return k -> new Operator(N, N, BITS, RATE, 1.0, Trainer.STEP_RATIO, L, 1, "", k);
    }

    static Validation.Validator validator() {
        return new ClassicalValidator(new Inference(new JavaBlas(), 1, 4), operator(), L, 1, validation());
    }

    static GradientMethod gradient(TrainConfig cfg, int threads) {
        return Gradients.create(new JavaBlas(), cfg, N, N, threads, new Quantizer(BITS).halfWidth());
    }

    static TrainState fresh() {
        return new TrainState(Dct.orthonormalDct2(N), N, N);
    }

    static RunDirectory directory(Path dir, TrainConfig cfg) {
        return new RunDirectory(dir, cfg.fingerprint(), operator(), s -> "test run, best epoch " + s.bestEpoch());
    }
}
