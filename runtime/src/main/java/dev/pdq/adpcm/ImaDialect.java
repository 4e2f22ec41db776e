package dev.pdq.adpcm;

/**
 * The decoder arithmetic an IMA ADPCM stream was encoded against, and so the plain decoding and the cells that
 * hold its clean samples (runtime/ADPCM.md).
 */
public enum ImaDialect {
    /**
     * The IMA/Microsoft reference decoder, dq = (s >> 3) + b2 s + b1 (s >> 1) + b0 (s >> 2), as sox, libsndfile
     * and pdq decode and as sox's and pdq's encoders track it. Cells: the three-comparison ladder's
     * ({@link ImaCells}), widened by the encoder's slack.
     */
    REFERENCE,
    /**
     * The reference decoder's arithmetic (sox decodes so), with the cells of sox's encoder around its predictor:
     * sox's {@code ImaMashS} (ima_rw.c) chooses m = min(7, floor(4 |sample - p| / s)) on the reference decoder's
     * predictor p, so the magnitude lies in [ceil(m s / 4), ceil((m + 1) s / 4)), open for m = 7: the division
     * cells, exact for {@code sox -D}, where the ladder's are 2 LSB too narrow at some edges.
     */
    SOX,
    /**
     * ffmpeg's decoder, dq = ((2m + 1) s) >> 3 (m the magnitude bits), which its encoder tracks: the plain
     * decoding is what ffmpeg outputs. Cells: ffmpeg 5.1's division, m = min(7, floor(4 |sample - p| / s)), so the
     * magnitude lies in [ceil(m s / 4), ceil((m + 1) s / 4)), open for m = 7.
     */
    FFMPEG;

    /** The difference dq this dialect's decoder adds or subtracts for a code (the sign bit ignored). */
    public int difference(int step, int code) {
        return this == FFMPEG ? ((2 * (code & 7) + 1) * step) >> 3 : ImaAdpcm.difference(step, code);
    }

    /** This dialect's next value: clamp(predictor -+ dq, -32768, 32767). */
    public int decode(int predictor, int step, int code) {
        int dq = difference(step, code);
        return ImaAdpcm.clamp16((code & 8) != 0 ? predictor - dq : predictor + dq);
    }

    /** The smallest magnitude of the code's cell. */
    int magnitudeLow(int step, int code) {
        return this == REFERENCE ? ImaCells.magnitudeLow(step, code) : ceilQuarter((code & 7) * step);
    }

    /** The code's exclusive upper magnitude, or -1 for magnitude 7 (open). */
    int magnitudeUp(int step, int code) {
        if (this == REFERENCE) {
            return ImaCells.magnitudeUp(step, code);
        }
        return (code & 7) == 7 ? -1 : ceilQuarter(((code & 7) + 1) * step);
    }

    /** ceil(v / 4) for v >= 0. */
    private static int ceilQuarter(int v) {
        return (v + 3) >> 2;
    }
}
