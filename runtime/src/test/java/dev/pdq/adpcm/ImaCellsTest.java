package dev.pdq.adpcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cells against brute force: every step, every predictor class, every sample. */
class ImaCellsTest {

    /** Predictors in the middle and at both ends of the range, where clamping and impossible codes matter. */
    static final int[] PREDICTORS = {0, -20000, 32767, 32700, -32768};

    @Test
    void theTablesAreTheStandardOnes() {
        assertEquals(89, ImaAdpcm.STEP.length);
        assertEquals(java.util.Arrays.toString(ImaReference.STEPS), java.util.Arrays.toString(ImaAdpcm.STEP));
        for (int code = 0; code < 16; code++) {
            assertEquals(ImaReference.INDEX[code], ImaAdpcm.INDEX_ADJUST[code & 7]);
        }
    }

    /** The samples within 2 steps of p: every cell boundary (the top cells start below 1.75 steps). */
    static int windowLow(int p, int step) {
        return Math.max(-32768, p - 2 * step - 4);
    }

    static int windowHigh(int p, int step) {
        return Math.min(32767, p + 2 * step + 4);
    }

    /** The code an encoder gives sample s with predictor p and step. */
    interface Encoder {
        int code(int s, int p, int step);
    }

    /** The division encoders' code (sox, ffmpeg 5.1): m = min(7, floor(4 |d| / step)), the sign of d. */
    static int divisionCode(int s, int p, int step) {
        int d = s - p;
        return Math.min(7, (Math.abs(d) << 2) / step) | (d < 0 ? 8 : 0);
    }

    /**
     * For every step and predictor, the samples the ladder encodes with a code are exactly the cell of that code
     * (slack none), and the decoded value lies in it. The codes are enumerated over the window of every cell
     * boundary; the ladder is monotone in the sample, so the codes at the window's ends hold on to the range's.
     */
    @Test
    void ladderCellsAreExactlyTheSamplesOfTheirCode() {
        assertCellsAreTheSamplesOfTheirCode(ImaDialect.REFERENCE, ImaBlockEncoder::code);
    }

    /** The same for ffmpeg's dialect: its division cells around its own decoder's predictor. */
    @Test
    void ffmpegCellsAreExactlyTheSamplesOfTheirDivisionCode() {
        assertCellsAreTheSamplesOfTheirCode(ImaDialect.FFMPEG, ImaCellsTest::divisionCode);
    }

    /**
     * The same for sox's dialect: the division cells around the reference decoder's predictor, which is what sox's
     * encoder does (ImaMashS in sox's ima_rw.c).
     */
    @Test
    void soxCellsAreExactlyTheSamplesOfTheirDivisionCode() {
        assertCellsAreTheSamplesOfTheirCode(ImaDialect.SOX, ImaCellsTest::divisionCode);
    }

    static void assertCellsAreTheSamplesOfTheirCode(ImaDialect dialect, Encoder encoder) {
        for (int step : ImaAdpcm.STEP) {
            for (int p : PREDICTORS) {
                int[] lo = new int[16];
                int[] hi = new int[16];
                boolean[] seen = new boolean[16];
                int last = -1;
                for (int s = windowLow(p, step); s <= windowHigh(p, step); s++) {
                    int code = encoder.code(s, p, step);
                    if (!seen[code]) {
                        seen[code] = true;
                        lo[code] = s;
                        assertTrue(last < 0 || (code < 8 ? code > (last < 8 ? last : -1) : last >= 8 && code < last),
                                "the encoder is not monotone at sample " + s + " (code " + last + " -> " + code + ")");
                    } else {
                        assertEquals(hi[code] + 1, s, "the samples of code " + code + " are not one interval");
                    }
                    hi[code] = s;
                    last = code;
                }
                lo[encoder.code(windowLow(p, step), p, step)] = -32768;
                hi[encoder.code(windowHigh(p, step), p, step)] = 32767;
                for (int code = 0; code < 16; code++) {
                    int x = dialect.decode(p, step, code);
                    int l = ImaCells.low(dialect, p, step, code, x, ImaCells.Slack.NONE);
                    int h = ImaCells.high(dialect, p, step, code, x, ImaCells.Slack.NONE);
                    String what = dialect + ", step " + step + ", predictor " + p + ", code " + code;
                    assertTrue(l <= x && x <= h, what + ": x = " + x + " outside [" + l + ", " + h + "]");
                    if (seen[code]) {
                        // the cell is the samples' interval, stretched only to reach x
                        assertEquals(Math.min(lo[code], x), l, what);
                        assertEquals(Math.max(hi[code], x), h, what);
                    } else {
                        assertTrue(l == x || h == x, what + ": a code no sample has is the value alone or at its"
                                + " range end; got [" + l + ", " + h + "]");
                    }
                }
            }
        }
    }

    /**
     * How far each encoder's samples stray from the other rule's cells, for every step, predictor and sample:
     * sox's (and ffmpeg 5.1's) division codes from the ladder's cells (REFERENCE) by up to 2 LSB on the far side,
     * the ladder's (pdq's encoder) from the division cells (SOX) by up to 2 LSB towards the predictor; so
     * {@link ImaCells.Slack#SOX_DITHER}, 11 LSB each side in the SOX dialect, holds pdq's files as well.
     */
    @Test
    void eachRuleStraysAtMostTwoLsbFromTheOthersCells() {
        assertArrayEquals(new int[] {0, 2}, worstStray(ImaCellsTest::divisionCode, ImaDialect.REFERENCE));
        assertArrayEquals(new int[] {2, 0}, worstStray(ImaBlockEncoder::code, ImaDialect.SOX));
        int[] ladder = worstStray(ImaBlockEncoder::code, ImaDialect.SOX);
        assertTrue(ladder[0] <= ImaCells.Slack.SOX_DITHER.inner() && ladder[1] <= ImaCells.Slack.SOX_DITHER.outer());
    }

    /** {worst LSB below the cell towards the predictor, worst beyond its far edge} of encoder's samples in dialect's cells. */
    private static int[] worstStray(Encoder encoder, ImaDialect dialect) {
        int worstInner = 0;
        int worstOuter = 0;
        for (int step : ImaAdpcm.STEP) {
            for (int p : PREDICTORS) {
                // beyond the window only the top codes occur, whose cells are open to the range
                for (int s = windowLow(p, step); s <= windowHigh(p, step); s++) {
                    int code = encoder.code(s, p, step);
                    int x = dialect.decode(p, step, code);
                    int below = ImaCells.low(dialect, p, step, code, x, ImaCells.Slack.NONE) - s;
                    int above = s - ImaCells.high(dialect, p, step, code, x, ImaCells.Slack.NONE);
                    boolean positive = code < 8;
                    worstInner = Math.max(worstInner, positive ? below : above);
                    worstOuter = Math.max(worstOuter, positive ? above : below);
                }
            }
        }
        return new int[] {worstInner, worstOuter};
    }

    @Test
    void slackWidensEachSideAsNamed() {
        int step = 1000;
        int p = 0;
        ImaCells.Slack s = new ImaCells.Slack(3, 5, 7, 9);
        // positive code 2: magnitude [500, 750), i.e. samples 500..749
        int x = ImaAdpcm.decode(p, step, 2);
        assertEquals(500 - 3, ImaCells.low(p, step, 2, x, s));
        assertEquals(749 + 5, ImaCells.high(p, step, 2, x, s));
        // negative code 10: samples -749..-500
        x = ImaAdpcm.decode(p, step, 10);
        assertEquals(-749 - 5, ImaCells.low(p, step, 10, x, s));
        assertEquals(-500 + 3, ImaCells.high(p, step, 10, x, s));
        // the top cell is open to the range
        x = ImaAdpcm.decode(p, step, 7);
        assertEquals(32767, ImaCells.high(p, step, 7, x, s));
        assertEquals(1750 - 3, ImaCells.low(p, step, 7, x, s));
    }

    @Test
    void theReferenceDecoderAgreesWithTheLadderCellsOfTheTestsSecondDecoder() {
        // ImaReference finds cells by bisection; it must agree with the formula for every step and code
        for (int step : ImaAdpcm.STEP) {
            for (int m = 0; m < 8; m++) {
                assertEquals(ImaCells.magnitudeLow(step, m), ImaReference.firstAtLeast(m, step), "step " + step);
                int up = ImaCells.magnitudeUp(step, m);
                assertEquals(up < 0 ? 65536 : up, ImaReference.firstAtLeast(m + 1, step), "step " + step + ", " + m);
            }
        }
    }
}
