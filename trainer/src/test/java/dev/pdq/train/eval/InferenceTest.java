package dev.pdq.train.eval;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Utterance;
import dev.pdq.train.testing.Wavs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceTest {
    private static final int N = 32;
    private static final int RATE = 16000;
    private static final int BITS = 4;
    private static final int L = 20;
    /** Float rounding of the solver, which depends on how many frames share a BLAS call. */
    private static final float BATCHING_TOLERANCE = 2e-5f;
    /** The box is enforced by a clamp in float: exact. */
    private static final float BOX_SLACK = 0f;

    static Stream<Blas> backends() {
        return dev.pdq.testing.Backends.all().stream();
    }

    /** Smooth signals of awkward lengths (not multiples of n, one shorter than a frame), at 4 bits. */
    static List<EvalSignal> signals() {
        int[] lengths = {10 * N + 5, 7 * N, 3 * N + 17, N - 9};
        List<Utterance> list = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            list.add(new Utterance(Path.of("s" + i + ".wav"), 0, 1, RATE, Wavs.smooth(300 + i, lengths[i], RATE,
                    600, 0.9)));
        }
        return EvalSignal.of(list, Level.peak(), new Quantizer(BITS));
    }

    static Operator dct() {
        return Operator.dct(N, BITS, RATE, L);
    }

    /** Frames of 20 ms, as the runtime's: K = DCT needs a frame long enough to see a few periods. */
    private static final int SPEECH_N = 320;

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void offlineFramingEqualsTheRuntimesStreamingDequantizer(Blas blas) {
        Operator op = dct();
        float r = op.quantizer().halfWidth();
        List<EvalSignal> signals = signals();
        for (int shifts : new int[] {1, 2, 4}) {
            StreamInference stream = new StreamInference(op, blas, shifts, 8, L);
            OfflineInference offline = new OfflineInference(op.newSolver(blas, 8), new Framing(N, shifts));
            // a tolerance no change reaches: exactly L iterations, as the stream runs
            float[][] off = offline.converged(signals, op.unit(), 1e-300, L);
            assertEquals(L, offline.meanIterations(), 0.0);
            for (int i = 0; i < signals.size(); i++) {
                float[] x = signals.get(i).quantized();
                float[] y = stream.dequantize(signals.get(i));
                assertArrayEquals(y, off[i], BATCHING_TOLERANCE, "S = " + shifts + ", signal " + i);
                for (int t = 0; t < x.length; t++) {
                    assertTrue(Math.abs(y[t] - x[t]) <= r + BOX_SLACK, "stream output leaves the box at " + t);
                    assertTrue(Math.abs(off[i][t] - x[t]) <= r + BOX_SLACK, "offline output leaves the box at " + t);
                }
            }
        }
    }

    @Test
    void mirroringReflectsAboutTheFirstAndLastSample() {
        int[] expect = {2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0, 1};
        for (int t = -2; t < 10; t++) {
            assertEquals(expect[t + 2], Framing.mirror(t, 5), "t = " + t);
        }
        assertEquals(0, Framing.mirror(7, 1));
        long[] starts = new Framing(8, 2).starts(17);
        assertArrayEquals(new long[] {0, 8, 16, -4, 4, 12}, starts);
    }

    @Test
    void dctBeatsTheQuantizedInputOnSpeechLikeSignalsAndTheCurveAgreesWithClassicalInference() {
        List<Utterance> speech = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            speech.add(new Utterance(Path.of("speech" + i + ".wav"), 0, 1, RATE,
                    SpeechSynth.generate(0.4 + 0.1 * i, RATE, 40 + i)));
        }
        List<EvalSignal> signals = EvalSignal.of(speech, Level.peak(), new Quantizer(BITS));
        Operator dct = Operator.dct(SPEECH_N, BITS, RATE, L);
        Inference inference = new Inference(new JavaBlas(), 2, 8);
        Score input = Score.of(Inference.input(signals));
        Score classical = Score.of(inference.classical(dct, 1, L, signals));
        assertTrue(classical.snrMeanPerFile() > input.snrMeanPerFile() + 1, "DCT " + classical.snrMeanPerFile()
                + " dB vs input " + input.snrMeanPerFile() + " dB");
        assertTrue(classical.mse() < input.mse());

        Inference.Curve curve = inference.curve(dct, new int[] {1, 5, L}, signals);
        assertEquals(classical.mse(), curve.mse()[2], classical.mse() * 1e-4, "the curve at L is classical S = 1");
        assertEquals(classical.snrMeanPerFile(), curve.snrMeanPerFile()[2], 1e-3);

        // a loose tolerance keeps the test short (1e-6 takes thousands of iterations)
        Inference.Optimal optimal = inference.optimal(dct, 1, 1e-4, 20_000, signals);
        assertEquals(0, optimal.cappedBatches(), "DCT converges on these signals");
        assertTrue(optimal.meanIterations() > L);
        Score opt = Score.of(optimal.scores());
        assertTrue(opt.snrMeanPerFile() > input.snrMeanPerFile() + 1);

        Score two = Score.of(new Inference(new JavaBlas(), 1, 3).classical(dct, 1, L, signals));
        assertEquals(classical.mse(), two.mse(), classical.mse() * 1e-4, "threads and batch change only rounding");
    }

    /**
     * Validation in several sets (here two peak levels): a line of each set's SNR, and the criterion the best K is
     * chosen on, the geometric mean over the sets of their MSE relative to their signal power.
     */
    @Test
    void validationAtSeveralLevelsScoresEachAsASet() {
        List<Utterance> list = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            list.add(new Utterance(Path.of("c", "d", "s" + i + ".wav"), 0, 1, RATE,
                    Wavs.smooth(400 + i, 6 * N, RATE, 600, 0.9)));
        }
        List<EvalSignal> all = new ArrayList<>(EvalSignal.atPeak(list, 0, new Quantizer(BITS), false));
        all.addAll(EvalSignal.atPeak(list, -20, new Quantizer(BITS), false));
        Operator op = dct();
        Inference inference = new Inference(new dev.pdq.blas.JavaBlas(), 1, 8);
        ClassicalValidator v = new ClassicalValidator(inference, k -> op, L, 1, all);
        dev.pdq.train.loop.Validation r = v.validate(op.matrix());
        assertTrue(r.corpora().contains("c/d at 0 dBFS") && r.corpora().contains("c/d at -20 dBFS"), r.corpora());
        Score loud = Score.of(inference.classical(op, 1, L, all.subList(0, 3)));
        Score quiet = Score.of(inference.classical(op, 1, L, all.subList(3, 6)));
        double expected = Math.pow(10, -(loud.snrOverall() + quiet.snrOverall()) / 2 / 10);
        assertEquals(expected, r.mse(), 1e-12 * expected);
    }
}
