package dev.pdq.quant;

/**
 * Mid-rise uniform quantizer with {@code Q = 2^bits} levels on [-1, 1):
 *
 * <pre>
 *   step  = 2/Q
 *   code  = clamp(floor((v + 1)/step), 0, Q-1)
 *   value = -1 + step*(code + 0.5)
 *   r     = step/2 = 1/Q           (half width of a cell: |value(code(v)) - v| <= r for v in [-1, 1))
 * </pre>
 *
 * Out-of-range input is clamped to the first or last cell (so -1.5 gives code 0, 1.0 and +Inf give Q-1). NaN is
 * treated as 0 (silence): it gets the code of 0, which is Q/2 (the level +step/2). Codes are computed exactly:
 * the cell boundaries -1 + c*step are exact in float and double for bits <= 16, and the candidate code from the
 * floating-point division is corrected against them, so a value exactly on a boundary belongs to the upper cell.
 * Levels are exact in float as well.
 *
 * <p>As a {@link NodeQuantizer} (the uniform scheme) every sample is its own segment and its cell is its value +- r.
 *
 * <p>Immutable and thread-safe.
 */
public final class Quantizer implements NodeQuantizer {
    public static final int MIN_BITS = 1;
    public static final int MAX_BITS = 16;
    /** {@link #onGrid} accepts values within this fraction of a step from a level. */
    public static final double ON_GRID_TOLERANCE = 1e-3;

    private final int bits;
    private final int levels;
    private final double step;
    private final double halfLevels;
    private final float r;
    private final double gridTolerance;

    public Quantizer(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("Quantizer: bits = " + bits + " not in " + MIN_BITS + ".." + MAX_BITS);
        }
        this.bits = bits;
        this.levels = 1 << bits;
        this.step = 2.0 / levels;
        this.halfLevels = levels / 2.0;
        this.r = (float) (1.0 / levels);
        this.gridTolerance = ON_GRID_TOLERANCE * step;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public Scheme scheme() {
        return Scheme.UNIFORM;
    }

    @Override
    public int segmentLength() {
        return 1;
    }

    @Override
    public float nominalHalfWidth() {
        return r;
    }

    /** x = quantize(clean), below = -r, above = r. */
    @Override
    public void quantize(float[] clean, int off, int len, float[] x, float[] below, float[] above, int dst) {
        for (int i = 0; i < len; i++) {
            x[dst + i] = quantize(clean[off + i]);
            below[dst + i] = -r;
            above[dst + i] = r;
        }
    }

    /** Q = 2^bits. */
    public int levels() {
        return levels;
    }

    /** step = 2/Q. */
    public float step() {
        return (float) step;
    }

    /** r = 1/Q, the half width of a cell. */
    public float halfWidth() {
        return r;
    }

    /** The code of v: clamp(floor((v + 1)/step), 0, Q-1); NaN gives the code of 0. */
    public int code(float v) {
        if (Float.isNaN(v)) {
            v = 0f;
        }
        double u = ((double) v + 1.0) * halfLevels;
        if (!(u > 0)) {
            return 0;
        }
        if (u >= levels) {
            return levels - 1;
        }
        int c = (int) u;
        // v + 1 may have been rounded (tiny |v|): correct against the exact lower boundaries
        while (c > 0 && v < lowerBound(c)) {
            c--;
        }
        while (c < levels - 1 && v >= lowerBound(c + 1)) {
            c++;
        }
        return c;
    }

    /** The level of a code: -1 + step*(code + 0.5). */
    public float value(int code) {
        if (code < 0 || code >= levels) {
            throw new IllegalArgumentException("Quantizer.value: code = " + code + " not in 0.." + (levels - 1));
        }
        return (float) (-1.0 + step * (code + 0.5));
    }

    /** value(code(v)). */
    public float quantize(float v) {
        return value(code(v));
    }

    /** Whether v is a level value, within {@link #ON_GRID_TOLERANCE} steps (false for NaN and infinities). */
    public boolean onGrid(float v) {
        if (!Float.isFinite(v) || v < -1f || v > 1f) {
            return false;
        }
        return Math.abs(v - (double) quantize(v)) <= gridTolerance;
    }

    /** dst[dstOff + i] = quantize(src[srcOff + i]) for i < len. Modifies dst only (src and dst may be the same). */
    public void quantize(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = quantize(src[srcOff + i]);
        }
    }

    /** The number of values in v[off..off+len) that are not {@link #onGrid on the grid}. */
    public int countOffGrid(float[] v, int off, int len) {
        int count = 0;
        for (int i = 0; i < len; i++) {
            if (!onGrid(v[off + i])) {
                count++;
            }
        }
        return count;
    }

    private double lowerBound(int c) {
        return -1.0 + c * step;
    }

    @Override
    public String toString() {
        return "Quantizer(" + bits + " bits, " + levels + " levels, r = " + r + ")";
    }
}
