package dev.pdq.quant;

/**
 * Mid-rise uniform quantizer with {@code bits} bits: Q = 2^bits levels on [-1, 1), step = 2/Q,
 * code c = clamp(floor((v + 1)/step), 0, Q-1), value(c) = -1 + step*(c + 0.5), half width r = step/2 = 1/Q.
 * Every value(c) and r are exact in float for bits 1..16, and code(value(c)) == c. Immutable, thread-safe.
 */
public final class Quantizer {

    public static final int MIN_BITS = 1;
    public static final int MAX_BITS = 16;

    private final int bits;
    private final int levels;
    private final double step;
    private final double halfLevels;

    public Quantizer(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits = " + bits + " is outside " + MIN_BITS + ".." + MAX_BITS);
        }
        this.bits = bits;
        this.levels = 1 << bits;
        this.step = 2.0 / levels;
        this.halfLevels = levels / 2.0;
    }

    public int bits() {
        return bits;
    }

    /** Q = 2^bits. */
    public int levels() {
        return levels;
    }

    /**
     * c = clamp(floor((v + 1)/step), 0, Q-1), computed exactly as floor(v*Q/2) + Q/2: v*Q/2 is exact in double,
     * whereas v + 1 would round a tiny negative v up to the boundary at 0. Values outside [-1, 1) go to the end
     * cells; NaN goes to cell 0.
     */
    public int code(float v) {
        double c = Math.floor(v * halfLevels) + halfLevels;
        if (!(c >= 0)) {
            return 0; // also NaN
        }
        return c >= levels ? levels - 1 : (int) c;
    }

    /** -1 + step*(c + 0.5), the center of cell c; c must be in 0..Q-1. */
    public float value(int code) {
        if (code < 0 || code >= levels) {
            throw new IllegalArgumentException("code " + code + " is outside 0.." + (levels - 1));
        }
        return (float) (-1.0 + step * (code + 0.5));
    }

    /** value(code(v)). */
    public float quantize(float v) {
        return value(code(v));
    }

    /** r = step/2 = 1/Q. */
    public float halfWidth() {
        return (float) (step / 2);
    }

    @Override
    public String toString() {
        return "Quantizer[bits=" + bits + "]";
    }
}
