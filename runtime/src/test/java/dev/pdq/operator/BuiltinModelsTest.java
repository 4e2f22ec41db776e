package dev.pdq.operator;

import dev.pdq.blas.JavaBlas;
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
        double learned = mse(model, model.trainedIterations(), x, clean);
        double dct = mse(BuiltinModels.dct(4), BuiltinModels.dctIterations(4), x, clean);
        assertTrue(learned < dct, "built-in model MSE " + learned + " is not below the DCT's " + dct);
    }

    @Test
    void dctDefaultsFollowTheMeasurements() {
        assertEquals(BuiltinModels.DCT_4BIT_ITERATIONS, BuiltinModels.dctIterations(4));
        assertEquals(0, BuiltinModels.dctIterations(6), "DCT loses to the input at 6 bits: pass through");
        assertTrue(BuiltinModels.forBits(3).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Operator.dct(320, 17, 16000, 1));
    }

    private static double mse(Operator op, int iterations, double[][] x, double[][] clean) {
        int frames = x.length;
        int n = op.n();
        float[] in = new float[frames * n];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < n; i++) {
                in[f * n + i] = (float) x[f][i];
            }
        }
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
