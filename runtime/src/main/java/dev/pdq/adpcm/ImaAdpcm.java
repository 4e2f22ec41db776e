package dev.pdq.adpcm;

/**
 * The IMA ADPCM tables and the arithmetic shared by the decoder, the encoder and the cells.
 *
 * <p>A 4-bit code is a sign bit (8) and a 3-bit magnitude b2 b1 b0. With step s = {@link #STEP}[index], the
 * reference decoder adds or subtracts
 *
 * <pre>
 *   dq = (s >> 3) + b2 s + b1 (s >> 1) + b0 (s >> 2)
 * </pre>
 *
 * to the predictor and clamps it to [-32768, 32767]; the next index is index + {@link #INDEX_ADJUST}[magnitude],
 * clamped to [0, 88]. WAV blocks (format 0x11) hold, per channel, a 4-byte header (the first sample as a signed
 * 16-bit little-endian value, the step index, a reserved zero byte), then groups of 4 bytes per channel in turn,
 * each 8 codes of that channel, low nibble first: a block of B bytes and C channels holds
 * 8 (B / 4C - 1) + 1 samples a channel.
 */
public final class ImaAdpcm {

    /** The 89 step sizes. */
    static final int[] STEP = {
        7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97,
        107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796,
        876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428,
        4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350,
        22385, 24623, 27086, 29794, 32767
    };

    /** Step index change by the code's magnitude (its low 3 bits). */
    static final int[] INDEX_ADJUST = {-1, -1, -1, -1, 2, 4, 6, 8};

    /** The largest step index. */
    public static final int MAX_INDEX = 88;

    /** Bytes of a channel's block header, and of a channel's group of 8 codes. */
    public static final int GROUP_BYTES = 4;

    /** Samples a channel's group of 4 bytes holds. */
    public static final int GROUP_SAMPLES = 8;

    /** sox's block align, 256 bytes a channel for every rate (505 samples a channel). */
    public static final int SOX_BLOCK_BYTES_PER_CHANNEL = 256;

    private ImaAdpcm() {
    }

    /** The step size of an index in 0..88. */
    public static int step(int index) {
        return STEP[index];
    }

    /** The next step index: clamp(index + INDEX_ADJUST[code & 7], 0, 88). */
    public static int nextIndex(int index, int code) {
        return Math.max(0, Math.min(MAX_INDEX, index + INDEX_ADJUST[code & 7]));
    }

    /** The decoder's difference dq = (s >> 3) + b2 s + b1 (s >> 1) + b0 (s >> 2) (the sign bit ignored). */
    public static int difference(int step, int code) {
        int dq = step >> 3;
        if ((code & 4) != 0) {
            dq += step;
        }
        if ((code & 2) != 0) {
            dq += step >> 1;
        }
        if ((code & 1) != 0) {
            dq += step >> 2;
        }
        return dq;
    }

    /** The reference decoder's next value: clamp(predictor -+ dq, -32768, 32767), minus when the sign bit is set. */
    public static int decode(int predictor, int step, int code) {
        int dq = difference(step, code);
        return clamp16((code & 8) != 0 ? predictor - dq : predictor + dq);
    }

    /** clamp(v, -32768, 32767). */
    static int clamp16(int v) {
        return Math.max(-32768, Math.min(32767, v));
    }

    /** Samples a channel in a block of {@code blockAlign} bytes: 8 (blockAlign / 4C - 1) + 1; 0 if not a layout. */
    public static int samplesPerBlock(int blockAlign, int channels) {
        int groupRow = GROUP_BYTES * channels;
        if (channels < 1 || blockAlign < groupRow || blockAlign % groupRow != 0) {
            return 0;
        }
        return GROUP_SAMPLES * (blockAlign / groupRow - 1) + 1;
    }

    /** Bytes of a block of {@code samplesPerBlock} = 8k + 1 samples a channel: 4C (k + 1). */
    public static int blockAlign(int samplesPerBlock, int channels) {
        if (samplesPerBlock < 1 || (samplesPerBlock - 1) % GROUP_SAMPLES != 0) {
            throw new IllegalArgumentException("samplesPerBlock = " + samplesPerBlock + " is not 8k + 1");
        }
        return GROUP_BYTES * channels * ((samplesPerBlock - 1) / GROUP_SAMPLES + 1);
    }

    /** The block align sox 14.4.2 writes: 256 bytes a channel whatever the rate (505 samples a channel). */
    public static int soxBlockAlign(int channels) {
        return SOX_BLOCK_BYTES_PER_CHANNEL * channels;
    }
}
