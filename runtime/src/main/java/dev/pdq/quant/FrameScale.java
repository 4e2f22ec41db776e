package dev.pdq.quant;

/**
 * The scale a solver frame is solved in. L fixed primal-dual iterations are not scale-equivariant (the dual
 * variable is clipped to [-1, 1] whatever the signal's level, so the primal step is absolute), so a frame whose
 * cells are 2^-e times narrower than the full-scale cells (a quiet BFP block) would run other dynamics than the
 * frames a model was trained on. The dequantizer divides such a frame (x, below, above) by its scale c, solves,
 * and multiplies the solution by c; the trainer does the same and weights the frame's loss by c^2, so the loss
 * stays in the signal's own scale. Powers of two make both exact in float: consistency is kept bit for bit.
 *
 * <pre>
 *   c = 2^ceil(log2(h / r0)),  h = max over the frame of min(-below_t, above_t),  r0 = the nominal half width
 * </pre>
 *
 * clamped to [2^-30, 2^30]; c = 1 where h is 0 or not finite. The smaller side of each cell counts, so that a cell
 * open on one side (the top code of IMA ADPCM, bounded only by the 16-bit range) does not set the scale; for
 * symmetric cells it is the half width. For the uniform grid h = r0, so c = 1 always and the fixed-grid path is
 * unchanged.
 */
public final class FrameScale {
    public static final int MIN_EXPONENT = -30;
    public static final int MAX_EXPONENT = 30;

    private FrameScale() {
    }

    /** The exponent j of c = 2^j for the cells below/above[off .. off+len) and nominal half width r0. */
    public static int exponent(float[] below, float[] above, int off, int len, float r0) {
        float h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            h = Math.max(h, Math.min(-below[i], above[i]));
        }
        if (!(h > 0) || !Float.isFinite(h) || !(r0 > 0)) {
            return 0;
        }
        double ratio = h / (double) r0;
        int j = Math.getExponent(ratio);          // 2^j <= ratio < 2^(j+1)
        if (ratio > Math.scalb(1.0, j)) {
            j++;                                  // ceil
        }
        return Math.max(MIN_EXPONENT, Math.min(MAX_EXPONENT, j));
    }
}
