package dev.pdq.stream;

import dev.pdq.audio.SampleCollector;
import dev.pdq.quant.Quantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-sample cells through the stream: consistency, the fixed grid as a special case, and exact frame scaling. */
class StreamCellsTest {
    private static final int N = 16; // StreamDequantizerTest's frame length
    private static final int BITS = 4;
    private static final float R = 1f / (1 << BITS);

    /** Block-floating-point-like cells: blocks of 8 samples at gains 2^-e, e from 0 to 5. */
    static float[][] blockCells(int samples, int channels, long seed) {
        Random rnd = new Random(seed);
        Quantizer q = new Quantizer(BITS);
        float[] x = new float[samples * channels];
        float[] below = new float[x.length];
        float[] above = new float[x.length];
        float[] clean = new float[x.length];
        for (int t = 0; t < samples; t++) {
            int e = (t / 8) % 6;
            for (int c = 0; c < channels; c++) {
                int i = t * channels + c;
                float v = (float) (0.7 * Math.sin(0.3 * t + c) + 0.2 * rnd.nextGaussian());
                v = Math.max(-1f, Math.min(0.999f, v));
                clean[i] = Math.scalb(v, -e);
                x[i] = Math.scalb(q.quantize(v), -e);
                below[i] = -Math.scalb(R, -e);
                above[i] = Math.scalb(R, -e);
            }
        }
        return new float[][] {x, below, above, clean};
    }

    static float[] runCells(float[][] c, int channels, int shifts, int batch, int push) throws Exception {
        SampleCollector sink = new SampleCollector(channels, c[0].length);
        StreamDequantizer sd = new StreamDequantizer(StreamDequantizerTest.solver(
                StreamDequantizer.rowsFor(batch, channels)), channels, shifts, batch, 7, new Quantizer(BITS), R, sink);
        int frames = c[0].length / channels;
        for (int t = 0; t < frames; t += push) {
            sd.pushCells(c[0], c[1], c[2], t * channels, Math.min(push, frames - t));
        }
        sd.finish();
        return sink.values();
    }

    @ParameterizedTest(name = "S = {0}")
    @ValueSource(ints = {1, 2, 4, 8})
    void everyOutputSampleStaysInItsCell(int shifts) throws Exception {
        for (int channels = 1; channels <= 2; channels++) {
            for (int samples : new int[] {1, 7, N, 3 * N + 5}) {
                float[][] c = blockCells(samples, channels, samples + shifts);
                float[] y = runCells(c, channels, shifts, 3, 5);
                assertEquals(c[0].length, y.length);
                for (int i = 0; i < y.length; i++) {
                    assertTrue(y[i] >= c[0][i] + c[1][i] && y[i] <= c[0][i] + c[2][i], "sample " + i + ": " + y[i]
                            + " outside [" + (c[0][i] + c[1][i]) + ", " + (c[0][i] + c[2][i]) + "]");
                }
            }
        }
    }

    /** Cells x +- r on the grid give exactly what push gives: the fixed grid is the special case. */
    @ParameterizedTest(name = "S = {0}")
    @ValueSource(ints = {1, 4})
    void fixedGridCellsEqualThePlainPath(int shifts) throws Exception {
        float[] x = StreamDequantizerTest.quantizedSignal(5 * N + 3, 2, 3);
        float[] below = new float[x.length];
        float[] above = new float[x.length];
        java.util.Arrays.fill(below, -R);
        java.util.Arrays.fill(above, R);
        float[] viaCells = runCells(new float[][] {x, below, above}, 2, shifts, 4, 7);
        float[] plain = StreamDequantizerTest.run(x, 2, shifts, 4, 7);
        assertArrayEquals(plain, viaCells, 0f);
    }

    /**
     * A frame whose cells are all 2^-e times the full-scale ones is solved in its scale: its output is exactly 2^-e
     * times the output of the same frame at full scale (powers of two scale exactly).
     */
    @ParameterizedTest(name = "e = {0}")
    @ValueSource(ints = {1, 3, 7})
    void aQuietFrameIsSolvedInItsScale(int e) throws Exception {
        float[] x = StreamDequantizerTest.quantizedSignal(2 * N, 1, 5);
        float[] below = new float[x.length];
        float[] above = new float[x.length];
        java.util.Arrays.fill(below, -R);
        java.util.Arrays.fill(above, R);
        float[] loud = runCells(new float[][] {x, below, above}, 1, 1, 2, N);
        float[] xs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = Math.scalb(x[i], -e);
            below[i] = -Math.scalb(R, -e);
            above[i] = Math.scalb(R, -e);
        }
        float[] quiet = runCells(new float[][] {xs, below, above}, 1, 1, 2, N);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.scalb(loud[i], -e), quiet[i], 0f, "sample " + i);
        }
    }
}
