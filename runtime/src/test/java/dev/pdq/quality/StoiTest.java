package dev.pdq.quality;

import dev.pdq.demo.SpeechSynth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoiTest {
    /**
     * pystoi and this class see the same float samples and compute in double; only summation order differs (and
     * NumPy's pairwise sums), so values agree to rounding. The task's bar on real speech is 0.005.
     */
    private static final double PYSTOI_TOLERANCE = 1e-9;

    private record Fixture(int rate, String variant, int samples, double cleanSum, double signalSum, double pystoi) {
    }

    private static List<Fixture> fixtures() throws IOException {
        List<Fixture> out = new ArrayList<>();
        try (InputStream in = StoiTest.class.getResourceAsStream("stoi-fixtures.csv")) {
            assertNotNull(in, "stoi-fixtures.csv (made by tools/stoi_fixtures.py) is missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.startsWith("rate,")) {
                    continue;
                }
                String[] f = line.split(",");
                out.add(new Fixture(Integer.parseInt(f[0]), f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            }
        }
        return out;
    }

    @Test
    void matchesPystoiOnTheFixtures() throws IOException {
        List<Fixture> fixtures = fixtures();
        assertEquals(25, fixtures.size(), "five rates, five variants");
        float[] clean = null;
        int cleanRate = 0;
        for (Fixture f : fixtures) {
            if (f.rate() != cleanRate) {
                clean = StoiFixtures.clean(f.rate());
                cleanRate = f.rate();
            }
            float[] y = StoiFixtures.variant(clean, f.variant(), f.rate());
            String what = f.rate() + " Hz " + f.variant();
            assertEquals(f.samples(), clean.length, what);
            assertEquals(f.cleanSum(), StoiFixtures.checksum(clean), 0, what + ": clean signal regenerated");
            assertEquals(f.signalSum(), StoiFixtures.checksum(y), 0, what + ": processed signal regenerated");
            assertEquals(f.pystoi(), Stoi.stoi(clean, y, f.rate()), PYSTOI_TOLERANCE, what);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 44100, 48000})
    void identicalSignalsScoreOne(int rate) {
        float[] x = SpeechSynth.generate(2.0, rate, rate);
        assertEquals(1, Stoi.stoi(x, x.clone(), rate), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void moreNoiseScoresLess(int rate) {
        float[] x = SpeechSynth.generate(3.0, rate, 7);
        double previous = Stoi.stoi(x, x, rate);
        for (double sigma : new double[] {0.003, 0.01, 0.03, 0.1, 0.3}) {
            Random rnd = new Random(11);
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) (x[i] + sigma * rnd.nextGaussian());
            }
            double d = Stoi.stoi(x, y, rate);
            assertTrue(d < previous, "noise " + sigma + ": STOI " + d + " not below " + previous);
            previous = d;
        }
        assertTrue(previous < 0.7, "noise 0.3 at a peak of 0.9 should be far less intelligible: " + previous);
    }

    /** ||x|| / ||y|| normalization: scaling either signal changes nothing (beyond eps and rounding). */
    @Test
    void invariantToScale() {
        float[] x = SpeechSynth.generate(2.0, 16000, 3);
        float[] y = new float[x.length];
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] + 0.05 * rnd.nextGaussian());
        }
        double d = Stoi.stoi(x, y, 16000);
        assertEquals(d, Stoi.stoi(x, scaled(y, 0.125f), 16000), 1e-9);
        assertEquals(d, Stoi.stoi(scaled(x, 0.25f), scaled(y, 0.25f), 16000), 1e-9);
    }

    /** A prepared reference scores as the one-pair call does, for several signals in any order. */
    @Test
    void preparedReferenceScoresAsThePairCall() {
        float[] x = SpeechSynth.generate(2.0, 16000, 9);
        Stoi reference = Stoi.of(x, 16000);
        for (double sigma : new double[] {0.2, 0.01}) {
            float[] y = new float[x.length];
            Random rnd = new Random(13);
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) (x[i] + sigma * rnd.nextGaussian());
            }
            assertEquals(Stoi.stoi(x, y, 16000), reference.score(y), 0);
        }
        assertThrows(IllegalArgumentException.class, () -> reference.score(new float[x.length - 1]));
    }

    @Test
    void tooLittleSpeechIsRefused() {
        float[] shortSignal = SpeechSynth.generate(0.3, 16000, 1);
        Stoi.TooShortException e = assertThrows(Stoi.TooShortException.class,
                () -> Stoi.stoi(shortSignal, shortSignal, 16000));
        assertTrue(e.getMessage().contains("needs 30"), e.getMessage());
        float[] silence = new float[100];
        assertThrows(Stoi.TooShortException.class, () -> Stoi.stoi(silence, silence, 16000));
        assertThrows(IllegalArgumentException.class, () -> Stoi.stoi(new float[10], new float[11], 16000));
        assertThrows(IllegalArgumentException.class, () -> Stoi.stoi(new float[10], new float[10], 0));
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> Stoi.stoi(new float[10], new float[10], 999_983));  // prime: up/down = 10000/999983
        assertTrue(rate.getMessage().contains("taps"), rate.getMessage());
    }

    /** The power spectrum against the DFT sum, written out, with and without zero padding. */
    @ParameterizedTest
    @ValueSource(ints = {512, 256, 100})
    void powerSpectrumMatchesTheDft(int len) {
        int n = 512;
        Random rnd = new Random(len);
        double[] x = new double[len + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] power = new double[n / 2 + 1];
        new RealFft(n).powerSpectrum(x, 3, len, power);
        for (int k = 0; k <= n / 2; k++) {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < len; t++) {
                double a = -2 * Math.PI * ((long) k * t % n) / n;
                sr += x[3 + t] * Math.cos(a);
                si += x[3 + t] * Math.sin(a);
            }
            assertEquals(sr * sr + si * si, power[k], 1e-9 * (1 + sr * sr + si * si), "|X_" + k + "|^2");
        }
    }

    /** A tone below both Nyquist rates comes out as the same tone at the new rate (60 dB filter: ~1e-3 ripple). */
    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 44100, 48000})
    void resamplerKeepsAToneInThePassband(int rate) {
        double hz = 1234.5;
        float[] x = new float[rate];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        }
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        double[] y = OctaveResampler.of(rate, Stoi.RATE).resample(xd);
        assertEquals((Stoi.RATE * (long) x.length + rate - 1) / rate, y.length);
        double worst = 0;
        for (int k = Stoi.RATE / 10; k < y.length - Stoi.RATE / 10; k++) {  // away from the ends' transients
            worst = Math.max(worst, Math.abs(y[k] - Math.sin(2 * Math.PI * hz * k / Stoi.RATE)));
        }
        assertEquals(0, worst, 2e-3, "max |resampled - tone| at " + rate + " Hz");
    }

    @Test
    void besselI0MatchesItsIntegral() {
        for (double x : new double[] {0, 0.5, 2, 5.65326}) {
            int steps = 100_000;  // I0(x) = (1/pi) int_0^pi exp(x cos t) dt, midpoint rule
            double s = 0;
            for (int i = 0; i < steps; i++) {
                s += Math.exp(x * Math.cos(Math.PI * (i + 0.5) / steps));
            }
            assertEquals(s / steps, OctaveResampler.besselI0(x), 1e-12 * s / steps, "I0(" + x + ")");
        }
    }

    private static float[] scaled(float[] x, float c) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * c;
        }
        return y;
    }
}
