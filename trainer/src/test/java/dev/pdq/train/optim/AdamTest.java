package dev.pdq.train.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {
    /** The moments are kept in double: equal to a previous state's up to double rounding. */
    private static final double MOMENT_TOLERANCE = 1e-15;
    /** The gradients are float32 (0.3f differs from 0.3 by 1.2e-8), the hand computation used the decimals. */
    private static final double FLOAT_INPUT_TOLERANCE = 1e-8;

    /**
     * Two steps with lr = 0.01 from p = (1, -2), gradients (0.5, -0.1) then (0.2, 0.3), worked out by hand (and
     * checked in Python):
     * t = 1: m = 0.1 g, v = 0.001 g^2, m^ = g, v^ = g^2, p -= 0.01 g / (|g| + 1e-8) -> (0.99, -1.99);
     * t = 2: m = (0.065, 0.021), v = (0.00028975, 0.00009999), m^ = m / 0.19, v^ = v / 0.001999,
     *        p = (0.98101425, -1.99494195) (as float32).
     */
    @Test
    void matchesTwoStepsWorkedOutByHand() {
        Adam adam = new Adam(2);
        float[] p = {1f, -2f};
        adam.step(p, new float[] {0.5f, -0.1f}, 0.01);
        assertArrayEquals(new float[] {0.99f, -1.99f}, p, 0f);
        assertArrayEquals(new double[] {0.05, -0.01}, adam.firstMoment(), FLOAT_INPUT_TOLERANCE);
        adam.step(p, new float[] {0.2f, 0.3f}, 0.01);
        assertArrayEquals(new float[] {0.9810142517089844f, -1.9949419498443604f}, p, 0f);
        assertArrayEquals(new double[] {0.065, 0.021}, adam.firstMoment(), FLOAT_INPUT_TOLERANCE);
        assertArrayEquals(new double[] {0.00028975, 0.00009999}, adam.secondMoment(), FLOAT_INPUT_TOLERANCE * 1e-2);
        assertEquals(2, adam.steps());
    }

    @Test
    void firstStepMovesEveryParameterByTheRateWhateverTheGradientScale() {
        Adam adam = new Adam(3);
        float[] p = {0f, 0f, 0f};
        adam.step(p, new float[] {1e-3f, -50f, 7f}, 1e-4);
        for (int i = 0; i < 3; i++) {
            assertEquals(1e-4, Math.abs(p[i]), 1e-9, "parameter " + i);
        }
    }

    @Test
    void nonFiniteGradientThrowsAndChangesNothing() {
        Adam adam = new Adam(2);
        float[] p = {1f, 2f};
        adam.step(p, new float[] {0.1f, 0.1f}, 0.01);
        float[] before = p.clone();
        double[] m = adam.firstMoment();
        Adam.NonFiniteException e = assertThrows(Adam.NonFiniteException.class,
                () -> adam.step(p, new float[] {Float.NaN, 0.1f}, 0.01));
        assertTrue(e.getMessage().contains("element 0"), e.getMessage());
        assertArrayEquals(before, p, 0f);
        assertArrayEquals(m, adam.firstMoment(), MOMENT_TOLERANCE);
        assertEquals(1, adam.steps());
    }

    @Test
    void restoreGivesTheSameNextStep() {
        Adam a = new Adam(2);
        float[] pa = {1f, 2f};
        a.step(pa, new float[] {0.3f, -0.2f}, 0.01);
        Adam b = new Adam(2);
        b.restore(a.firstMoment(), a.secondMoment(), a.steps());
        float[] pb = pa.clone();
        a.step(pa, new float[] {0.1f, 0.4f}, 0.005);
        b.step(pb, new float[] {0.1f, 0.4f}, 0.005);
        assertArrayEquals(pa, pb, 0f);
        assertTrue(a.sameState(b));
    }
}
