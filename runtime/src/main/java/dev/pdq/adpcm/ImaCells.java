package dev.pdq.adpcm;

/**
 * The cell of the clean 16-bit sample that an IMA ADPCM code tells the decoder (design.md, "Beyond the fixed grid").
 *
 * <p>The reference encoder decides the magnitude bits of diff = |sample - predictor| with the three-comparison
 * ladder on step s (t2 = s, t1 = s >> 1, t0 = s >> 2): b2 = diff >= t2 (then diff -= t2), b1 = diff >= t1 (then
 * diff -= t1), b0 = diff >= t0; the sign bit is set when sample < predictor. So the magnitude lies in [low, up):
 *
 * <pre>
 *   low = b2 t2 + b1 t1 + b0 t0
 *   up  = low + t0          if b0 = 0
 *         b2 t2 + t1        if b0 = 1, b1 = 0
 *         t2                if b0 = b1 = 1, b2 = 0
 *         unbounded         if b0 = b1 = b2 = 1   (the 16-bit range bounds it)
 * </pre>
 *
 * and the sample, an integer, lies in [p + low, p + up - 1] for a positive code and in
 * [p - (up - 1), p - max(low, 1)] for a negative one (p the predictor; the sign bit means sample < p). A block's
 * first sample is stored exactly in its header: its cell is the value.
 *
 * <p>Encoders in use decide differently at the edges (sox and ffmpeg divide 4 diff by the step instead of
 * comparing with shifted steps, {@link ImaDialect#SOX}; ffmpeg also tracks a predictor of its own:
 * {@link ImaDialect#FFMPEG}). A {@link Slack} widens the cell: by {@code inner} LSB on the side towards the
 * predictor, {@code outer} LSB on the far side, and {@code header} LSB on both sides of a header sample
 * ({@code laterHeader} for the channels after the first). The slack of each encoder, derived and measured, is in runtime/ADPCM.md. The cell is then clamped to
 * [-32768, 32767] and stretched to contain the decoder's value x where a code is impossible for the ladder (a
 * positive code at the top of the range), so that lo <= x <= hi always holds.
 */
public final class ImaCells {

    /**
     * How far the clean sample may lie outside the ladder's cell, in 16-bit LSB.
     *
     * @param inner       towards the predictor (magnitude below low)
     * @param outer       away from the predictor (magnitude at or above up)
     * @param header      either side of the header sample of a block's first channel
     * @param laterHeader either side of the header samples of the other channels (65535: the whole range, for
     *                    sox, which writes the first channel's sample into every channel's header)
     */
    public record Slack(int inner, int outer, int header, int laterHeader) {
        /** pdq's own encoder ({@link ImaBlockEncoder}) and any other that follows the ladder: exact. */
        public static final Slack NONE = new Slack(0, 0, 0, 0);

        /**
         * sox without dither ({@code sox -D ... -e ima-adpcm}), in {@link ImaDialect#SOX}, whose cells are its
         * encoder's: none, but for sox 14.4.2's multichannel bug: it writes the first channel's first sample into
         * the header of every channel of a block (and encodes the channel on from there), so a later channel's
         * header sample says nothing of its clean sample. (In the ladder's cells, {@link ImaDialect#REFERENCE},
         * sox -D's samples need 2 LSB more on the far side: ImaCellsTest.)
         */
        public static final Slack SOX = new Slack(0, 0, 0, 65535);

        /**
         * sox as a user runs it ({@code sox in.wav -e ima-adpcm out.wav}), in {@link ImaDialect#SOX}: sox first
         * dithers to the 13-bit precision it gives IMA ADPCM (TPDF noise under 8 LSB, then rounding to a multiple
         * of 8 LSB), so its encoder sees a sample within 11 LSB of the clean one: {@link #SOX} plus 11 LSB on
         * every side. The ladder's samples (pdq's encoder) lie within it too.
         */
        public static final Slack SOX_DITHER = new Slack(11, 11, 11, 65535);

        /**
         * ffmpeg 5.1 ({@code ffmpeg -i in.wav -c:a adpcm_ima_wav out.wav}), measured: its encoder tracks ffmpeg's own
         * decoder (dq = ((2m + 1) step) >> 3), not the reference one, so against the reference decoder's
         * predictor its samples drift within a block of 2041 by a random walk of rounding differences: up to 500
         * LSB towards the predictor and 501 away from it on ieee16k/dev and voices16k/dev at 0 and -20 dBFS
         * peaks (runtime/ADPCM.md). No bound holds in general; block headers are exact. Decoded in
         * {@link ImaDialect#FFMPEG}, ffmpeg's files need no slack.
         */
        public static final Slack FFMPEG = new Slack(500, 501, 0, 0);

        public Slack {
            for (int v : new int[] {inner, outer, header, laterHeader}) {
                if (v < 0 || v > 65535) {
                    throw new IllegalArgumentException("slack " + inner + ", " + outer + ", " + header + ", "
                            + laterHeader + " is outside 0..65535");
                }
            }
        }

        /** The slack of the header sample of channel c. */
        public int header(int channel) {
            return channel == 0 ? header : laterHeader;
        }
    }

    private ImaCells() {
    }

    /** low = b2 s + b1 (s >> 1) + b0 (s >> 2): the smallest magnitude the ladder gives this code. */
    public static int magnitudeLow(int step, int code) {
        return ImaAdpcm.difference(step, code) - (step >> 3);
    }

    /** up, the ladder's exclusive upper magnitude for this code, or -1 for magnitude 7 (unbounded). */
    public static int magnitudeUp(int step, int code) {
        int m = code & 7;
        int t2 = step;
        int t1 = step >> 1;
        int t0 = step >> 2;
        if ((m & 1) == 0) {
            return magnitudeLow(step, code) + t0;
        }
        if ((m & 2) == 0) {
            return ((m & 4) != 0 ? t2 : 0) + t1;
        }
        return (m & 4) == 0 ? t2 : -1;
    }

    /** The lower end of the cell (inclusive, in LSB) of code {@code code} with predictor p and step, x decoded. */
    public static int low(int predictor, int step, int code, int x, Slack slack) {
        return low(ImaDialect.REFERENCE, predictor, step, code, x, slack);
    }

    /** The upper end of the cell (inclusive, in LSB), as {@link #low}. */
    public static int high(int predictor, int step, int code, int x, Slack slack) {
        return high(ImaDialect.REFERENCE, predictor, step, code, x, slack);
    }

    /** {@link #low} with the cells of a dialect: the ladder's, or ffmpeg's division cells. */
    public static int low(ImaDialect dialect, int predictor, int step, int code, int x, Slack slack) {
        long lo;
        if ((code & 8) == 0) {
            lo = (long) predictor + dialect.magnitudeLow(step, code) - slack.inner();
        } else {
            int up = dialect.magnitudeUp(step, code);
            lo = up < 0 ? -32768 : (long) predictor - (up - 1) - slack.outer();
        }
        return (int) Math.min(x, Math.max(-32768, lo));
    }

    /** {@link #high} with the cells of a dialect. */
    public static int high(ImaDialect dialect, int predictor, int step, int code, int x, Slack slack) {
        long hi;
        if ((code & 8) == 0) {
            int up = dialect.magnitudeUp(step, code);
            hi = up < 0 ? 32767 : (long) predictor + (up - 1) + slack.outer();
        } else {
            hi = (long) predictor - Math.max(1, dialect.magnitudeLow(step, code)) + slack.inner(); // below p
        }
        return (int) Math.max(x, Math.min(32767, hi));
    }
}
