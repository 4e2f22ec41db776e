package dev.pdq.train.grad;

import java.nio.FloatBuffer;

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

    /** Records bit i = [|z[i] - c[i]| <= threshold] for i < len into {@code slot}. Modifies this mask only. */
    void recordBox(int slot, FloatBuffer z, FloatBuffer c, float threshold, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = 0;
            for (int j = 0, m = Math.min(64, len - i0); j < m; j++) {
                if (Math.abs(z.get(i0 + j) - c.get(i0 + j)) <= threshold) {
                    bits |= 1L << j;
                }
            }
            words[base + w] = bits;
        }
    }

    /** Records bit i = [|z[i]| <= 1] for i < len into {@code slot}. Modifies this mask only. */
    void recordUnit(int slot, FloatBuffer z, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = 0;
            for (int j = 0, m = Math.min(64, len - i0); j < m; j++) {
                if (Math.abs(z.get(i0 + j)) <= 1f) {
                    bits |= 1L << j;
                }
            }
            words[base + w] = bits;
        }
    }

    /** v[i] = 0 where bit i of {@code slot} is 0, for i < len. Modifies v. */
    void apply(int slot, FloatBuffer v, int len) {
        int base = slot * wordsPerSlot;
        for (int w = 0, i0 = 0; i0 < len; w++, i0 += 64) {
            long bits = words[base + w];
            if (bits == -1L) {
                continue;
            }
            for (int j = 0, m = Math.min(64, len - i0); j < m; j++) {
                if ((bits & (1L << j)) == 0) {
                    v.put(i0 + j, 0f);
                }
            }
        }
    }

    long bytes() {
        return 8L * words.length;
    }
}
