package dev.pdq.train.spark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The aggregation of the partitions' gradients does not depend on the order Spark combines them in. */
class GradientSumTest {
    private static final int LEN = 257;

    private static float[] partial(Random rnd, int magnitudeBinades) {
        float[] g = new float[LEN];
        for (int i = 0; i < LEN; i++) {
            g[i] = (float) (rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(magnitudeBinades) - 10));
        }
        return g;
    }

    private static GradientSum part(float[] g, double loss) {
        return GradientSum.empty().add(loss, 3, g.clone(), 5);
    }

    @Test
    void everyCombinationOrderAndTreeGivesTheSameFloats() {
        Random rnd = new Random(17);
        List<float[]> parts = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            parts.add(partial(rnd, 12)); // partials spanning 12 binades: the double sums are exact
        }
        float[] reference = new float[LEN];
        GradientSum seq = GradientSum.empty();
        for (float[] g : parts) {
            seq.merge(part(g, 1.0));
        }
        seq.copyTo(reference);
        for (int trial = 0; trial < 50; trial++) {
            List<float[]> shuffled = new ArrayList<>(parts);
            Collections.shuffle(shuffled, rnd);
            // a random tree: pairs merged at random until one is left, with idle tasks mixed in
            List<GradientSum> level = new ArrayList<>();
            for (float[] g : shuffled) {
                level.add(part(g, 1.0));
                level.add(GradientSum.empty().addIdle(1));
            }
            while (level.size() > 1) {
                int i = rnd.nextInt(level.size());
                GradientSum a = level.remove(i);
                GradientSum b = level.remove(rnd.nextInt(level.size()));
                level.add(rnd.nextBoolean() ? a.merge(b) : b.merge(a));
            }
            GradientSum total = level.get(0);
            float[] got = new float[LEN];
            total.copyTo(got);
            assertArrayEquals(reference, got, 0f, "trial " + trial);
            assertEquals(18, total.frames());
            assertEquals(6.0, total.loss(), 0.0);
            assertEquals(12, total.tasks());
        }
    }

    @Test
    void onePartitionsGradientPassesThroughUnchangedAndNoneGivesZeros() {
        float[] g = partial(new Random(3), 40);
        GradientSum s = GradientSum.empty().merge(GradientSum.empty().addIdle(7)).merge(part(g, 2.5))
                .merge(GradientSum.empty());
        float[] out = new float[LEN];
        s.copyTo(out);
        assertArrayEquals(g, out, 0f);
        assertEquals(7, s.computeNanosMax());
        assertEquals(12, s.computeNanosSum());
        float[] zeros = new float[LEN];
        java.util.Arrays.fill(out, 1f);
        GradientSum.empty().addIdle(1).copyTo(out);
        assertArrayEquals(zeros, out, 0f);
    }
}
