package dev.pdq.train.eval;

import dev.pdq.demo.SpeechSynth;
import dev.pdq.quality.Stoi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private static final double DB_TOLERANCE = 1e-9;

    @Test
    void snrAndMseOfAHandMadeSignal() {
        // s alternates +-1; y = s + 0.1 everywhere: E_s = T, E_e = 0.01 T, SNR = 20 dB, MSE = 0.01
        int t = 640;
        float[] s = new float[t];
        float[] y = new float[t];
        for (int i = 0; i < t; i++) {
            s[i] = i % 2 == 0 ? 1f : -1f;
            y[i] = s[i] + 0.1f;
        }
        FileScore f = SignalMetrics.score("a", y, s, 16000);
        double e = (double) (1f + 0.1f - 1f) * (1f + 0.1f - 1f); // the float error of one sample, squared
        assertEquals(t * e, f.errorEnergy(), 1e-9);
        assertEquals(e, f.mse(), 1e-12);
        assertEquals(10 * Math.log10(1 / e), f.snrDb(), DB_TOLERANCE);
        assertEquals(20, f.snrDb(), 1e-5);
        assertEquals(20, f.segmentalSnrDb(), 1e-5, "both 320-sample segments at 20 dB");
    }

    @Test
    void segmentalSnrClampsAndSkipsSilence() {
        // segment 1: loud, exact (clamped to 35 dB); segment 2: silent (skipped); segment 3: y = 0 (0 dB);
        // a trailing partial segment (skipped)
        int seg = 320;
        float[] s = new float[3 * seg + 100];
        float[] y = new float[s.length];
        for (int i = 0; i < seg; i++) {
            s[i] = 0.5f;
            y[i] = 0.5f;
            s[2 * seg + i] = 0.25f;
            y[2 * seg + i] = 0f;
        }
        for (int i = 3 * seg; i < s.length; i++) {
            s[i] = 0.9f;
        }
        FileScore f = SignalMetrics.score("b", y, s, 16000);
        assertEquals((35 + 0) / 2.0, f.segmentalSnrDb(), DB_TOLERANCE);
    }

    @Test
    void meanPerFileAndOverallSnrDiffer() {
        // file A: E_s = 1, E_e = 0.1 (10 dB), 10 samples; file B: E_s = 100, E_e = 0.01 (40 dB), 30 samples
        FileScore a = new FileScore("A", 10, 1, 0.1, 5, 0.6);
        FileScore b = new FileScore("B", 30, 100, 0.01, 7, 0.9);
        Score s = Score.of(List.of(a, b));
        assertEquals(25, s.snrMeanPerFile(), DB_TOLERANCE);
        assertEquals(10 * Math.log10(101 / 0.11), s.snrOverall(), DB_TOLERANCE);
        assertEquals(0.11 / 40, s.mse(), 1e-15);
        assertEquals(6, s.segmentalSnr(), DB_TOLERANCE);
        assertEquals(0.75, s.stoi(), 1e-15);
        assertEquals(2, s.files());
    }

    /** STOI is the runtime's; an utterance with too little speech for it is left out of the mean. */
    @Test
    void stoiPerFileAndItsMean() {
        float[] s = SpeechSynth.generate(2.0, 16000, 4);
        float[] y = new float[s.length];
        Random rnd = new Random(2);
        for (int i = 0; i < s.length; i++) {
            y[i] = (float) (s[i] + 0.05 * rnd.nextGaussian());
        }
        FileScore speech = SignalMetrics.score("speech", y, s, 16000);
        assertEquals(Stoi.stoi(s, y, 16000), speech.stoi(), 0);
        assertTrue(speech.stoi() > 0.3 && speech.stoi() < 0.99, "noisy speech: " + speech.stoi());

        float[] shortClean = SpeechSynth.generate(0.2, 16000, 4);
        FileScore tooShort = SignalMetrics.score("short", shortClean.clone(), shortClean, 16000);
        assertTrue(Double.isNaN(tooShort.stoi()));
        assertEquals(speech.stoi(), Score.of(List.of(speech, tooShort)).stoi(), 0);
        assertTrue(Double.isNaN(Score.of(List.of(tooShort)).stoi()));
    }
}
