package dev.pdq.operator;

import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;
import dev.pdq.testing.GoldenVectors;
import org.junit.jupiter.api.Test;

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
     * the built-in model at its L is closer to the clean frames than K = DCT at its L: it learned something.
     */
    @Test
    void fourBitModelBeatsTheDctOnGoldenFrames() {
        double[][] x = GoldenVectors.matrix("x.csv");
        double[][] clean = GoldenVectors.matrix("y.csv");
        Operator model = BuiltinModels.forBits(4).orElseThrow();
        double learned = mse(model, model.trainedIterations(), x, clean, 1f / 16);
        double dct = mse(BuiltinModels.dct(4), BuiltinModels.dctIterations(4), x, clean, 1f / 16);
        assertTrue(learned < dct, "built-in model MSE " + learned + " is not below the DCT's " + dct);
    }

    /**
     * Every other built-in model, on the golden clean frames quantized at its bits: it loads with its bits and
     * defaults, and beats K = DCT at the L the runtime would otherwise run (the input itself where that is L = 0).
     */
    @Test
    void everyBuiltInModelBeatsWhatRunsWithoutIt() {
        double[][] clean = GoldenVectors.matrix("y.csv");
        for (int bits : BuiltinModels.bitDepths()) {
            Operator model = BuiltinModels.forBits(bits).orElseThrow();
            assertEquals(bits, model.bits());
            assertEquals(320, model.n());
            assertTrue(model.provenance().contains("truncated"), model.provenance());
            Quantizer q = new Quantizer(bits);
            double[][] x = new double[clean.length][];
            for (int f = 0; f < clean.length; f++) {
                x[f] = new double[clean[f].length];
                for (int i = 0; i < x[f].length; i++) {
                    x[f][i] = q.quantize((float) clean[f][i]);
                }
            }
            double learned = mse(model, model.trainedIterations(), x, clean, q.halfWidth());
            double dct = mse(BuiltinModels.dct(bits), BuiltinModels.dctIterations(bits), x, clean, q.halfWidth());
            assertTrue(learned < dct, bits + "-bit model MSE " + learned + " is not below " + dct);
        }
    }

    @Test
    void dctDefaultsFollowTheMeasurements() {
        assertEquals(BuiltinModels.DCT_4BIT_ITERATIONS, BuiltinModels.dctIterations(4));
        assertEquals(0, BuiltinModels.dctIterations(6), "DCT loses to the input at 6 bits: pass through");
        assertTrue(BuiltinModels.forBits(2).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Operator.dct(320, 17, 16000, 1));
    }

    private static double mse(Operator op, int iterations, double[][] x, double[][] clean, float r) {
        int frames = x.length;
        int n = op.n();
        float[] in = new float[frames * n];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < n; i++) {
                in[f * n + i] = (float) x[f][i];
            }
        }
        PrimalDual pd = op.newSolver(new JavaBlas(), frames);
        pd.load(in, 0, frames, r);
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
