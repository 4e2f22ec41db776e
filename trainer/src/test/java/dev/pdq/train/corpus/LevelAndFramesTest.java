package dev.pdq.train.corpus;

import dev.pdq.quant.Quantizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LevelAndFramesTest {
    private static final float EXACT = 0f;

    private static Utterance utterance(float... s) {
        return new Utterance(Path.of("u.wav"), 0, 1, 16000, s);
    }

    @Test
    void peakNormalizesFixedKeepsTheRecordedLevel() {
        Utterance u = utterance(0.1f, -0.25f, 0.2f);
        assertArrayEquals(new float[] {0.4f, -1f, 0.8f}, Level.peak().evaluationSignal(u), 1e-7f);
        assertSame(u.samples(), Level.fixed(-20, 0).evaluationSignal(u));
    }

    @Test
    void trainingGainsAreSeededPerEpochAndInRange() {
        Level fixed = Level.fixed(-20, -6);
        float[] g1 = fixed.trainingGains(5, 1, 50);
        assertArrayEquals(g1, fixed.trainingGains(5, 1, 50), EXACT);
        assertNotEquals(g1[0], fixed.trainingGains(5, 2, 50)[0]);
        for (float g : g1) {
            double db = 20 * Math.log10(g);
            assertTrue(db >= -20 - 1e-5 && db <= -6 + 1e-5, "gain " + db + " dB");
        }
        for (float g : Level.peak().trainingGains(5, 1, 10)) {
            assertEquals(1f, g);
        }
    }

    @Test
    void framesArePeakNormalizedWholeAndQuantizedPerBatch() {
        float[] a = new float[10];
        float[] b = new float[7];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.05f * (i + 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = -0.1f * (i + 1);
        }
        FrameSet fs = FrameSet.of(List.of(utterance(a), utterance(b)), 4);
        assertEquals(2 + 1, fs.count(), "10 samples give 2 frames of 4, 7 give 1; tails dropped");
        FrameBatch fb = new FrameBatch(2, 4);
        float[] clean = fb.clean;
        float[] quant = fb.x;
        Quantizer q = new Quantizer(2);
        fs.gather(new int[] {2, 0, 1}, 0, 2, new float[] {0.5f, 2f}, null, q, fb);
        // frame 2 is b's first frame, b normalized by its peak 0.7 then scaled by b's gain 2
        for (int i = 0; i < 4; i++) {
            assertEquals((float) (b[i] / 0.7) * 2f, clean[i], 1e-6f);
            assertEquals((float) (a[i] / 0.5) * 0.5f, clean[4 + i], 1e-6f);
            assertEquals(q.quantize(clean[i]), quant[i], EXACT);
        }
    }

    @Test
    void shiftedGridsCutFramesAtTheOffsetAndKeepTheLastInside() {
        float[] a = new float[10];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.1f * (i + 1) - 0.55f;
        }
        float peak = 0.45f;
        FrameSet fs = FrameSet.of(List.of(utterance(a)), 4);
        assertEquals(2, fs.count());
        FrameBatch fb = new FrameBatch(2, 4);
        float[] clean = fb.clean;
        float[] quant = fb.x;
        Quantizer q = new Quantizer(3);
        fs.gather(new int[] {0, 1}, 0, 2, null, new int[] {3}, q, fb);
        for (int i = 0; i < 4; i++) {
            assertEquals(a[3 + i] / peak, clean[i], 1e-6f, "frame 0 starts at the offset 3");
            assertEquals(a[6 + i] / peak, clean[4 + i], 1e-6f, "frame 1 (4 + 3 .. 10 would pass 10) is the last 4");
            assertEquals(q.quantize(clean[4 + i]), quant[4 + i], EXACT);
        }
    }

    @Test
    void shiftsAreSeededPerEpochAndBelowTheFrameLength() {
        Utterance[] us = new Utterance[40];
        for (int u = 0; u < us.length; u++) {
            us[u] = utterance(1f, 0.5f, -0.5f, 0.25f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f);
        }
        FrameSet fs = FrameSet.of(List.of(us), 8);
        int[] s1 = fs.shifts(3, 1);
        assertArrayEquals(s1, fs.shifts(3, 1));
        assertNotEquals(java.util.Arrays.toString(s1), java.util.Arrays.toString(fs.shifts(3, 2)));
        boolean nonZero = false;
        for (int s : s1) {
            assertTrue(s >= 0 && s < 8, "shift " + s);
            nonZero |= s != 0;
        }
        assertTrue(nonZero);
    }
}
