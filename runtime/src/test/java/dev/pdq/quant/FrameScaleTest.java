package dev.pdq.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameScaleTest {
    private static final float R = 1f / 16;

    static int exponent(float[] below, float[] above) {
        return FrameScale.exponent(below, above, 0, below.length, R);
    }

    @Test
    void theFixedGridIsAtScaleOne() {
        assertEquals(0, exponent(new float[] {-R, -R, -R}, new float[] {R, R, R}));
    }

    @Test
    void aQuietBlockScalesByItsPowerOfTwo() {
        for (int e = 0; e <= 15; e++) {
            float h = Math.scalb(R, -e);
            assertEquals(-e, exponent(new float[] {-h, -h}, new float[] {h, h}), "e = " + e);
        }
    }

    @Test
    void theLargestCellSetsTheScaleRoundedUp() {
        float h = Math.scalb(R, -3);
        // cells of 2^-3 and a little more than 2^-5: the larger decides; 1.5 * 2^-4 rounds up to 2^-3
        assertEquals(-3, exponent(new float[] {-h, -R / 40}, new float[] {h, R / 40}));
        assertEquals(-3, exponent(new float[] {-1.5f * R / 16}, new float[] {1.5f * R / 16}));
    }

    @Test
    void aCellOpenOnOneSideCountsByItsClosedSide() {
        float h = Math.scalb(R, -4);
        // an ADPCM top cell: closed at h below its value, open (to the 16-bit range) above
        assertEquals(-4, exponent(new float[] {-h, -h}, new float[] {h, 1.5f}));
    }

    @Test
    void emptyOrDegenerateCellsLeaveTheScaleAlone() {
        assertEquals(0, exponent(new float[] {0f, 0f}, new float[] {0f, 0f}));
        assertEquals(0, FrameScale.exponent(new float[] {-R}, new float[] {R}, 0, 1, 0f));
    }
}
