package dev.pdq.quant;

/**
 * Block floating point (BFP): the uniform mid-rise grid of {@link Quantizer} ({@code B} bits, r = 2^-B), scaled
 * per <em>gain block</em> by a power of two 2^e chosen from the block's peak. Gain blocks are N samples of one
 * channel, counted from the start of the stream; the last may be shorter.
 *
 * <pre>
 *   p     = max over the block of |v_t|                      (NaN counts as 0, as in Quantizer)
 *   e     = max { e in 0..15 : p * 2^e <= 1 }                (15 when p = 0; 0 when p > 1: the block clips)
 *   code  = Quantizer.code(v_t * 2^e)
 *   x_t   = value(code) * 2^-e
 *   cell    [x_t - r * 2^-e, x_t + r * 2^-e]                 (below = -r * 2^-e, above = r * 2^-e)
 * </pre>
 *
 * Why {@code p * 2^e <= 1}: the grid's closed cells [value - r, value + r] tile [-1, 1] exactly, so every scaled
 * sample u with |u| <= 1 lies in the closed cell of its code (u = 1 takes the last code, whose cell ends at 1), and
 * every |u| > 1 is clamped into an end cell with an error above r: clipping. The largest such e uses the most
 * levels (the scaled peak lies in (1/2, 1] unless e is 15) and so gives the smallest cells. With the peak's binary
 * exponent k (2^k <= p < 2^(k+1)) it is e = -k when p is a power of two and -k - 1 otherwise, clamped to 0..15.
 *
 * <p>Everything is exact in float: multiplying by 2^e and 2^-e only changes exponents (no overflow or underflow
 * for |v| <= 1, e <= 15, B <= 8), so the grid's exact cell boundaries stay exact, and every clean sample with
 * p <= 1 lies in its decoded cell with x - r 2^-e and x + r 2^-e computed in float without rounding.
 *
 * <p>Node cost a block: one peak search (a max of magnitudes; on integer PCM an OR of them), e from the peak's
 * leading zeros, and one shift of every sample by e before the uniform quantizer. Blocks are independent: a lost
 * block costs that block only. Immutable and thread-safe.
 */
public final class BlockFloatQuantizer implements NodeQuantizer {
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;
    /** Exponents are 0..15 (4 bits on the wire). */
    public static final int MAX_EXPONENT = 15;
    public static final int MAX_BLOCK_LENGTH = 4096;
    /**
     * The default gain block length: 32 samples (2 ms at 16 kHz), the shortest divisor of the solver's 320-sample
     * frame whose 4-bit stream stays under 4.2 bits a sample (runtime/CODESTREAM-2.md, "Choosing the gain block
     * length").
     */
    public static final int DEFAULT_BLOCK_LENGTH = 32;

    private final Quantizer grid;
    private final int blockLength;

    /**
     * @param bits        B, {@link #MIN_BITS}..{@link #MAX_BITS}
     * @param blockLength N, samples a gain block, 1..{@link #MAX_BLOCK_LENGTH}
     */
    public BlockFloatQuantizer(int bits, int blockLength) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("BlockFloatQuantizer: bits = " + bits + " not in " + MIN_BITS + ".."
                    + MAX_BITS);
        }
        if (blockLength < 1 || blockLength > MAX_BLOCK_LENGTH) {
            throw new IllegalArgumentException("BlockFloatQuantizer: gain block length = " + blockLength
                    + " not in 1.." + MAX_BLOCK_LENGTH);
        }
        this.grid = new Quantizer(bits);
        this.blockLength = blockLength;
    }

    @Override
    public Scheme scheme() {
        return Scheme.BFP;
    }

    @Override
    public int bits() {
        return grid.bits();
    }

    /** The gain block length N. */
    @Override
    public int segmentLength() {
        return blockLength;
    }

    /** r = 2^-B: the half width of the cells at e = 0. */
    @Override
    public float nominalHalfWidth() {
        return grid.halfWidth();
    }

    /** The uniform grid the scaled samples are quantized on. */
    public Quantizer grid() {
        return grid;
    }

    /**
     * The largest e in 0..15 with peak * 2^e <= 1 (see the class comment): 15 for a peak of 0 (or NaN, or
     * subnormal below 2^-15), 0 for a peak above 1 or infinite.
     */
    public static int exponentOfPeak(float peak) {
        if (!(peak > 0)) {
            return MAX_EXPONENT;
        }
        int k = Math.getExponent(peak);            // 2^k <= peak < 2^(k+1) (k = -127 for subnormals)
        boolean powerOfTwo = peak == Math.scalb(1f, k);
        int e = powerOfTwo ? -k : -k - 1;
        return Math.max(0, Math.min(MAX_EXPONENT, e));
    }

    /** The exponent of the samples v[off + i*stride], i < count: {@link #exponentOfPeak} of their largest |v|. */
    public static int exponent(float[] v, int off, int stride, int count) {
        float peak = 0;
        for (int i = 0, p = off; i < count; i++, p += stride) {
            float a = Math.abs(v[p]);
            if (a > peak) {                         // NaN never is
                peak = a;
            }
        }
        return exponentOfPeak(peak);
    }

    /**
     * codes[off + i*stride] = Quantizer.code(v[off + i*stride] * 2^e) for i < count. Modifies codes only.
     */
    public void codes(float[] v, int off, int stride, int count, int e, int[] codes) {
        float scale = Math.scalb(1f, e);
        for (int i = 0, p = off; i < count; i++, p += stride) {
            codes[p] = grid.code(v[p] * scale);
        }
    }

    /** The decoded value of a code at exponent e: value(code) * 2^-e (exact). */
    public float value(int code, int e) {
        return Math.scalb(grid.value(code), -checkExponent(e));
    }

    /** The half width of the cells at exponent e: r * 2^-e (exact). */
    public float halfWidth(int e) {
        return Math.scalb(grid.halfWidth(), -checkExponent(e));
    }

    private static int checkExponent(int e) {
        if (e < 0 || e > MAX_EXPONENT) {
            throw new IllegalArgumentException("exponent " + e + " not in 0.." + MAX_EXPONENT);
        }
        return e;
    }

    /**
     * Quantizes one channel, {@code clean[off .. off+len)}, in gain blocks of N from off (the last may be shorter),
     * and writes x, below = -r 2^-e and above = r 2^-e at dst.. . Modifies x, below and above only.
     */
    @Override
    public void quantize(float[] clean, int off, int len, float[] x, float[] below, float[] above, int dst) {
        for (int start = 0; start < len; start += blockLength) {
            int n = Math.min(blockLength, len - start);
            int e = exponent(clean, off + start, 1, n);
            float scale = Math.scalb(1f, e);
            float h = halfWidth(e);
            for (int i = 0; i < n; i++) {
                int c = grid.code(clean[off + start + i] * scale);
                int d = dst + start + i;
                x[d] = value(c, e);
                below[d] = -h;
                above[d] = h;
            }
        }
    }

    @Override
    public String toString() {
        return "BlockFloatQuantizer(" + bits() + " bits, gain blocks of " + blockLength + " samples)";
    }
}
