package dev.pdq.operator;

import dev.pdq.audio.SampleCollector;
import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.quant.StreamKind;
import dev.pdq.solver.PrimalDual;
import dev.pdq.stream.StreamDequantizer;
import dev.pdq.testing.GoldenVectors;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinModelsTest {

    @Test
    void fourBitModelLoadsAndSaysHowItWasMade() {
        Operator op = BuiltinModels.forBits(4).orElseThrow();
        assertEquals(320, op.n());
        assertEquals(320, op.k());
        assertEquals(4, op.bits());
        assertEquals(16000, op.sampleRate());
        assertTrue(op.provenance().contains("truncated"), op.provenance());
        assertTrue(op.spectralNorm() > 0 && Double.isFinite(op.spectralNorm()));
    }

    /**
     * On the golden vectors' frames (8 loud frames of a dev file, quantized at 4 bits, with their clean originals),
     * solved frame by frame on their one grid, the 4-bit model made for one grid at its L is closer to the clean
     * frames than K = DCT at its L: it learned something. (The default model is made for the average of 4 grids and
     * is checked that way, streaming, below.)
     */
    @Test
    void fourBitModelBeatsTheDctOnGoldenFrames() {
        double[][] x = GoldenVectors.matrix("x.csv");
        double[][] clean = GoldenVectors.matrix("y.csv");
        Operator model = BuiltinModels.forBits(4, 1).orElseThrow();
        double learned = mse(model, model.trainedIterations(), x, clean);
        double dct = mse(BuiltinModels.dct(4), BuiltinModels.dctIterations(4), x, clean);
        assertTrue(learned < dct, "built-in model MSE " + learned + " is not below the DCT's " + dct);
    }

    /**
     * Every built-in model as the runtime runs it (streaming, its S and L) on the golden clean frames, joined into
     * one signal and quantized at its bits: it loads with its bits, and beats what runs without it, K = DCT on one
     * grid at the measured L (the input itself where that L is 0).
     */
    @Test
    void everyBuiltInModelBeatsWhatRunsWithoutIt() throws IOException {
        float[] clean = goldenCleanSignal();
        for (int bits : BuiltinModels.bitDepths()) {
            Operator model = BuiltinModels.forBits(bits).orElseThrow();
            assertEquals(bits, model.bits());
            assertEquals(320, model.n());
            assertTrue(model.provenance().contains("truncated"), model.provenance());
            Quantizer q = new Quantizer(bits);
            float[] x = quantized(clean, q);
            double learned = streamMse(model, model.shifts(), model.trainedIterations(), q, x, clean);
            double without = streamMse(BuiltinModels.dct(bits), 1, BuiltinModels.dctIterations(bits), q, x, clean);
            assertTrue(learned < without, bits + "-bit model MSE " + learned + " is not below " + without);
        }
    }

    /**
     * S = 1 gets the 4-bit model trained for one grid (overcomplete, k = 2n), which on one grid is closer to the
     * golden clean frames than the default model trained through the average of 4 grids; other S, and bit depths
     * without a one-grid model, get the default.
     */
    @Test
    void oneGridGetsTheOneGridModel() throws IOException {
        Operator oneGrid = BuiltinModels.forBits(4, 1).orElseThrow();
        Operator fourGrids = BuiltinModels.forBits(4).orElseThrow();
        assertEquals(640, oneGrid.k());
        assertEquals(1, oneGrid.shifts());
        assertEquals(25, oneGrid.trainedIterations());
        assertTrue(oneGrid.provenance().contains("one frame grid"), oneGrid.provenance());
        assertEquals(fourGrids.k(), BuiltinModels.forBits(4, 2).orElseThrow().k());
        assertEquals(4, BuiltinModels.forBits(4, 4).orElseThrow().shifts());
        assertEquals(320, BuiltinModels.forBits(3, 1).orElseThrow().k());

        float[] clean = goldenCleanSignal();
        Quantizer q = new Quantizer(4);
        float[] x = quantized(clean, q);
        double one = streamMse(oneGrid, 1, oneGrid.trainedIterations(), q, x, clean);
        double four = streamMse(fourGrids, 1, fourGrids.trainedIterations(), q, x, clean);
        assertTrue(one < four, "one-grid model MSE " + one + " is not below the default's " + four + " on one grid");
    }

    /**
     * The built-in BFP models (gain blocks of 32; 3, 4 and 5 bits, where they beat the BFP input on dev) load for a
     * BFP stream and, streaming at their S and L, beat the BFP input itself (what runs without them: K = DCT runs at
     * L = 0 there) on the golden clean signal at its own level and 20 dB below, where BFP's gains keep the cells in
     * proportion. At 6 bits there is none (it lost to the BFP input on dev).
     */
    @Test
    void theBfpModelsBeatTheBfpInput() throws IOException {
        for (int bits : new int[] {3, 4, 5}) {
            StreamKind kind = new StreamKind(Scheme.BFP, bits, 16000, 32);
            Operator model = BuiltinModels.forStream(kind, null).orElseThrow();
            assertEquals(Scheme.BFP, model.scheme());
            assertEquals(32, model.blockLength());
            assertEquals(bits, model.bits());
            assertEquals(0, BuiltinModels.dctIterations(kind));
            beatsThePlainDecoding(model, bits + "-bit BFP model");
        }
        assertTrue(BuiltinModels.forStream(new StreamKind(Scheme.BFP, 6, 16000, 32), null).isEmpty());
    }

    /**
     * The built-in IMA ADPCM model loads for an IMA ADPCM stream and, streaming at its S and L, is closer to the
     * clean signal than the standard decoding (what runs without it) on the golden clean signal, encoded by the
     * reference encoder as the node would, at its own level and 20 dB below.
     */
    @Test
    void theImaAdpcmModelBeatsTheStandardDecoder() throws IOException {
        StreamKind kind = new StreamKind(Scheme.IMA_ADPCM, 4, 16000, 0);
        Operator model = BuiltinModels.forStream(kind, null).orElseThrow();
        assertEquals(Scheme.IMA_ADPCM, model.scheme());
        assertEquals(8, model.shifts());
        beatsThePlainDecoding(model, "IMA ADPCM model");
    }

    /**
     * The model, streaming at its S and L with the cells of its scheme's node quantizer, is closer to the golden clean
     * signal than that quantizer's plain decoding, at the signal's own level and 20 dB below.
     */
    private static void beatsThePlainDecoding(Operator model, String what) throws IOException {
        NodeQuantizer node = NodeQuantizers.of(model);
        for (float gain : new float[] {1f, 0.1f}) {
            float[] clean = goldenCleanSignal();
            for (int i = 0; i < clean.length; i++) {
                clean[i] *= gain;
            }
            int len = clean.length;
            float[] x = new float[len];
            float[] below = new float[len];
            float[] above = new float[len];
            node.quantize(clean, 0, len, x, below, above, 0);
            SampleCollector out = new SampleCollector(1, len);
            StreamDequantizer sd = StreamDequantizer.create(model, new JavaBlas(),
                    new dev.pdq.stream.DequantizerSettings(1, model.shifts(), 8, model.trainedIterations()), out);
            sd.pushCells(x, below, above, 0, len);
            sd.finish();
            double learned = mse(out.values(), clean);
            double plain = mse(x, clean);
            assertTrue(learned < plain, what + ", gain " + gain + ": MSE " + learned
                    + " is not below the plain decoding's " + plain);
        }
    }

    private static double mse(float[] y, float[] clean) {
        double sum = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = y[i] - clean[i];
            sum += d * d;
        }
        return sum / clean.length;
    }

    /**
     * An 8 kHz stream gets the built-in 8 kHz model (n = 160), which on the golden clean signal taken down to 8 kHz
     * (the mean of each pair of samples) beats what runs without it, K = DCT on one grid at the measured L.
     */
    @Test
    void theEightKilohertzModelBeatsTheDct() throws IOException {
        Operator model = BuiltinModels.forStream(StreamKind.uniform(4, 8000), null).orElseThrow();
        assertEquals(160, model.n());
        assertEquals(8000, model.sampleRate());
        float[] wide = goldenCleanSignal();
        float[] clean = new float[wide.length / 2];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = 0.5f * (wide[2 * i] + wide[2 * i + 1]);
        }
        Quantizer q = new Quantizer(4);
        float[] x = quantized(clean, q);
        double learned = streamMse(model, model.shifts(), model.trainedIterations(), q, x, clean);
        Operator dct = BuiltinModels.dct(StreamKind.uniform(4, 8000));
        double without = streamMse(dct, 1, BuiltinModels.dctIterations(4), q, x, clean);
        assertTrue(learned < without, "8 kHz model MSE " + learned + " is not below the DCT's " + without);
    }

    /** The golden clean frames joined into one signal. */
    private static float[] goldenCleanSignal() {
        return GoldenVectors.flatten(GoldenVectors.matrix("y.csv"));
    }

    private static float[] quantized(float[] clean, Quantizer q) {
        float[] x = new float[clean.length];
        q.quantize(clean, 0, x, 0, clean.length);
        return x;
    }

    private static double streamMse(Operator op, int shifts, int iterations, Quantizer q, float[] x, float[] clean)
            throws IOException {
        int batch = 8;
        SampleCollector out = new SampleCollector(1, x.length);
        StreamDequantizer sd = StreamDequantizer.create(op, new JavaBlas(),
                new dev.pdq.stream.DequantizerSettings(1, shifts, batch, iterations), out);
        sd.push(x, 0, x.length);
        sd.finish();
        return mse(out.values(), clean);
    }

    @Test
    void dctDefaultsFollowTheMeasurements() {
        assertEquals(BuiltinModels.DCT_4BIT_ITERATIONS, BuiltinModels.dctIterations(4));
        assertEquals(0, BuiltinModels.dctIterations(6), "DCT loses to the input at 6 bits: pass through");
        assertTrue(BuiltinModels.forBits(2).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Operator.dct(320, 17, 16000, 1));
    }

    private static double mse(Operator op, int iterations, double[][] x, double[][] clean) {
        int frames = x.length;
        int n = op.n();
        float[] in = GoldenVectors.flatten(x);
        PrimalDual pd = op.newSolver(new JavaBlas(), frames);
        pd.load(in, 0, frames, 1f / 16);
        pd.solve(iterations);
        float[] y = new float[frames * n];
        pd.readPrimal(y, 0);
        double sum = 0;
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < n; i++) {
                double d = y[f * n + i] - clean[f][i];
                sum += d * d;
            }
        }
        return sum / (frames * n);
    }
}
