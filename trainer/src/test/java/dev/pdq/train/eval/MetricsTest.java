package dev.pdq.train.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        FileScore a = new FileScore("A", 10, 1, 0.1, 5);
        FileScore b = new FileScore("B", 30, 100, 0.01, 7);
        Score s = Score.of(List.of(a, b));
        assertEquals(25, s.snrMeanPerFile(), DB_TOLERANCE);
        assertEquals(10 * Math.log10(101 / 0.11), s.snrOverall(), DB_TOLERANCE);
        assertEquals(0.11 / 40, s.mse(), 1e-15);
        assertEquals(6, s.segmentalSnr(), DB_TOLERANCE);
        assertEquals(2, s.files());
    }
}
