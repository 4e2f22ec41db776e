package dev.pdq.stream;

import dev.pdq.audio.SampleCollector;
import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamDequantizerTest {
    private static final int N = 16;
    private static final int BITS = 4;
    private static final float R = 1f / (1 << BITS);
    private static final int ITERATIONS = 7;
    /** The clamp to the cell is exact: no slack at all. */
    private static final float FEASIBILITY_SLACK = 0f;
    /** Float rounding of the solver's products, which depends on how many frames share a BLAS call. */
    private static final float ARRIVAL_TOLERANCE = 1e-5f;

    static float[] operator(long seed) {
        Random rnd = new Random(seed);
        float[] k = new float[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                // a smoothing-difference operator plus noise: not diagonal, so frames really interact
                double v = (i == j ? 1 : 0) - (j == i + 1 ? 1 : 0) + 0.1 * rnd.nextGaussian();
                k[i * N + j] = (float) v;
            }
        }
        return k;
    }

    /** Quantized (4-bit grid) test signal: a wobbling tone plus noise. */
    static float[] quantizedSignal(int samples, int channels, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[samples * channels];
        for (int t = 0; t < samples; t++) {
            for (int c = 0; c < channels; c++) {
                double v = 0.6 * Math.sin(0.3 * t + c) + 0.2 * rnd.nextGaussian();
                double step = 2.0 / (1 << BITS);
                int code = (int) Math.max(0, Math.min((1 << BITS) - 1, Math.floor((v + 1) / step)));
                x[t * channels + c] = (float) (-1 + step * (code + 0.5));
            }
        }
        return x;
    }

    static PrimalDual solver(int rows) {
        PrimalDual pd = new PrimalDual(new JavaBlas(), N, N, rows, 1f, 100.0);
        pd.setOperator(operator(7), 0);
        return pd;
    }

    static float[] run(float[] x, int channels, int shifts, int batch, int pushSize) throws Exception {
        SampleCollector sink = new SampleCollector(channels, x.length);
        StreamDequantizer sd = new StreamDequantizer(solver(StreamDequantizer.rowsFor(batch, channels)), channels,
                shifts, batch, ITERATIONS, new Quantizer(BITS), sink);
        int frames = x.length / channels;
        for (int t = 0; t < frames; t += pushSize) {
            sd.push(x, t * channels, Math.min(pushSize, frames - t));
        }
        sd.finish();
        assertEquals(0, sd.offGridSamples(), "grid input counted off-grid");
        assertEquals(frames, sd.emitted());
        return sink.values();
    }

    /** An empty stream ends with nothing solved and nothing written, on every number of grids. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 4, 8})
    void anEmptyStreamSolvesNothing(int shifts) throws Exception {
        SampleCollector sink = new SampleCollector(1, 0);
        StreamDequantizer sd = new StreamDequantizer(solver(StreamDequantizer.rowsFor(4, 1)), 1, shifts, 4,
                ITERATIONS, new Quantizer(BITS), sink);
        sd.finish();
        assertEquals(0, sd.framesSolved());
        assertEquals(0, sd.emitted());
        assertEquals(0, sink.values().length);
    }

    static Stream<Arguments> layouts() {
        List<Arguments> a = new ArrayList<>();
        for (int shifts : new int[]{1, 2, 4, 8}) {
            for (int channels : new int[]{1, 2}) {
                for (int batch : new int[]{1, 3, 8}) {
                    a.add(Arguments.of(shifts, channels, batch));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "S={0} C={1} B={2}")
    @MethodSource("layouts")
    void everyLengthComesOutExactAndConsistent(int shifts, int channels, int batch) throws Exception {
        for (int len = 0; len <= 3 * N + 1; len++) {
            float[] x = quantizedSignal(len, channels, len);
            for (int push : new int[]{1, 5, 1000}) {
                float[] y = run(x, channels, shifts, batch, push);
                assertEquals(x.length, y.length, "length " + len + " push " + push);
                for (int i = 0; i < y.length; i++) {
                    assertTrue(Math.abs(y[i] - x[i]) <= R + FEASIBILITY_SLACK,
                            "sample " + i + " of length " + len + ": |" + y[i] + " - " + x[i] + "| > r");
                }
            }
        }
    }

    @ParameterizedTest(name = "S={0} C={1} B={2}")
    @MethodSource("layouts")
    void outputDoesNotDependOnHowInputArrives(int shifts, int channels, int batch) throws Exception {
        float[] x = quantizedSignal(5 * N + 3, channels, 11);
        // Batches fill differently (a lone frame takes gemv, several gemm), so rounding may differ in the last bits.
        float[] whole = run(x, channels, shifts, batch, 10_000);
        assertArrayEquals(whole, run(x, channels, shifts, batch, 1), ARRIVAL_TOLERANCE);
        assertArrayEquals(whole, run(x, channels, shifts, batch, 7), ARRIVAL_TOLERANCE);
    }

    @Test
    void oneGridIsThePlainFrameSolution() throws Exception {
        int len = 4 * N + 5;
        float[] x = quantizedSignal(len, 1, 3);
        float[] y = run(x, 1, 1, 1, 9);
        // independent framing: frames at 0, N, 2N, ...; the last one mirrored about the final sample
        PrimalDual pd = solver(1);
        float[] frame = new float[N];
        float[] sol = new float[N];
        for (int start = 0; start < len; start += N) {
            for (int i = 0; i < N; i++) {
                int t = start + i;
                int m = t < len ? t : 2 * (len - 1) - t;
                frame[i] = x[m];
            }
            pd.load(frame, 0, 1, R);
            pd.solve(ITERATIONS);
            pd.readPrimal(sol, 0);
            for (int i = 0; i < N && start + i < len; i++) {
                assertEquals(sol[i], y[start + i], 0f, "sample " + (start + i));
            }
        }
    }

    @Test
    void moreGridsChangeTheOutput() throws Exception {
        float[] x = quantizedSignal(6 * N, 1, 5);
        float[] one = run(x, 1, 1, 4, 100);
        float[] four = run(x, 1, 4, 4, 100);
        double diff = 0;
        for (int i = 0; i < x.length; i++) {
            diff += Math.abs(one[i] - four[i]);
        }
        assertTrue(diff > 1e-3, "S = 4 gave the same output as S = 1");
    }

    @Test
    void offGridInputIsCountedAndStillConsistent() throws Exception {
        float[] x = quantizedSignal(2 * N, 1, 2);
        x[3] += 0.01f;
        x[20] = 0.123f;
        SampleCollector sink = new SampleCollector(1, x.length);
        StreamDequantizer sd = new StreamDequantizer(solver(2), 1, 1, 2, ITERATIONS, new Quantizer(BITS), sink);
        sd.push(x, 0, x.length);
        sd.finish();
        assertEquals(2, sd.offGridSamples());
        float[] y = sink.values();
        for (int i = 0; i < y.length; i++) {
            assertTrue(Math.abs(y[i] - x[i]) <= R, "sample " + i);
        }
    }

    @Test
    void flushPendingWritesCompleteFramesWithoutWaitingForAFullBatch() throws Exception {
        float[] x = quantizedSignal(2 * N + 3, 1, 9);
        SampleCollector sink = new SampleCollector(1, x.length);
        StreamDequantizer sd = new StreamDequantizer(solver(32), 1, 1, 32, ITERATIONS, new Quantizer(BITS), sink);
        sd.push(x, 0, x.length);
        assertEquals(0, sink.count(), "a batch of 32 should not be full after 2 frames");
        sd.flushPending();
        assertEquals(2 * N, sink.count());
        sd.finish();
        assertEquals(x.length, sink.count());
    }

    /**
     * The quiet fallback: a frame with no sample beyond the two middle levels in it, in the window before it or in
     * what has arrived after it comes out as the point of its cells nearest 0; a frame that has seen a loud sample
     * within the window is solved as before.
     */
    @Test
    void theQuietFallbackOnlyTouchesQuietStretches() throws Exception {
        int frames = 12;
        float[] x = new float[frames * N];
        float[] levels = {-R / 2, R / 2}; // inside the two middle cells (off the grid: the solver does not land on 0)
        for (int t = 0; t < x.length; t++) {
            x[t] = levels[(t * 7 + t / 5) % levels.length];
        }
        x[9 * N + 5] = 3 * R; // one loud sample in frame 9; frames arrive one push of N samples at a time
        float[] plain = runWithQuietWindow(x, 0);
        float[] quiet = runWithQuietWindow(x, 2 * N);
        boolean differs = false;
        for (int t = 0; t < x.length; t++) {
            if (t / N <= 8) { // queued before the loud sample arrived
                float nearest = Math.max(x[t] - R, Math.min(x[t] + R, 0f));
                assertEquals(nearest, quiet[t], 0f, "sample " + t + " of a quiet frame");
                differs |= plain[t] != nearest;
            } else {
                assertEquals(plain[t], quiet[t], 0f, "sample " + t + " within the window of the loud one");
            }
        }
        assertTrue(differs, "the model's solution is not the nearest point anyway");
    }

    static float[] runWithQuietWindow(float[] x, long window) throws Exception {
        SampleCollector sink = new SampleCollector(1, x.length);
        StreamDequantizer sd = new StreamDequantizer(solver(2), 1, 1, 2, ITERATIONS, new Quantizer(BITS), sink);
        sd.setQuietWindow(window);
        for (int t = 0; t < x.length; t += N) {
            sd.push(x, t, N);
        }
        sd.finish();
        return sink.values();
    }
}
