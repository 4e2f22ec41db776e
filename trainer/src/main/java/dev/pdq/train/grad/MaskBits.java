package dev.pdq.train.grad;

/**
 * Masks of the backward pass as bits: {@code slots} masks of up to {@code bitsPerSlot} bits each, a slot per
 * recorded iteration. A bit is 1 where the clip or projection of the forward pass was inactive (its derivative is 1)
 * and 0 where it was active (derivative 0). A mask of B x 320 frames costs 1280 bytes instead of 40960 as floats.
 */
final class MaskBits {
    private final long[] words;
    private final int wordsPerSlot;

    MaskBits(int slots, int bitsPerSlot) {
        this.wordsPerSlot = (bitsPerSlot + 63) >>> 6;
        this.words = new long[Math.multiplyExact(slots, wordsPerSlot)];
    }

    /**
     * Records bit i = [rho * below[i] <= z[i] - x[i] <= rho * above[i]] for i < len into {@code slot}: the primal
     * projection onto the cell [x + below, x + above] was inactive, in a cell widened by rho (1 for the exact
     * Jacobian). Modifies this mask only.
     */
    void recordCells(int slot, float[] z, float[] x, float[] below, float[] above, float rho, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = 0;
            for (int j = 0, m = Math.min(64, len - i0); j < m; j++) {
                int i = i0 + j;
                float d = z[i] - x[i];
                float lo = rho == 1f ? below[i] : rho * below[i];
                float hi = rho == 1f ? above[i] : rho * above[i];
                if (d >= lo && d <= hi) {
                    bits |= 1L << j;
                }
            }
            words[base + w] = bits;
        }
    }

    /** Records bit i = [|z[i]| <= 1] for i < len into {@code slot}. Modifies this mask only. */
    void recordUnit(int slot, float[] z, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = 0;
            for (int j = 0, m = Math.min(64, len - i0); j < m; j++) {
                if (Math.abs(z[i0 + j]) <= 1f) {
                    bits |= 1L << j;
                }
            }
            words[base + w] = bits;
        }
    }

    /**
     * dst[i] = src[i] + add[i] where bit i of {@code slot} is 1, else 0, for i < len ({@code add} null: src[i]).
     * dst may be src. Modifies dst.
     */
    void apply(int slot, float[] src, float[] add, float[] dst, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = words[base + w];
            int m = Math.min(64, len - i0);
            if (bits == -1L || (m < 64 && bits == (1L << m) - 1)) {
                if (add == null) {
                    System.arraycopy(src, i0, dst, i0, m);
                } else {
                    for (int i = i0; i < i0 + m; i++) {
                        dst[i] = src[i] + add[i];
                    }
                }
                continue;
            }
            for (int j = 0; j < m; j++) {
                int i = i0 + j;
                dst[i] = (bits & (1L << j)) == 0 ? 0f : add == null ? src[i] : src[i] + add[i];
            }
        }
    }

    long bytes() {
        return 8L * words.length;
    }
}
