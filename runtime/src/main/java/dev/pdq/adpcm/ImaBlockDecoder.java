package dev.pdq.adpcm;

import java.util.Objects;

/**
 * The IMA ADPCM decoder of WAV blocks, one block at a time, sample frame by sample frame, with the cell of every
 * sample ({@link ImaCells}): the reference decoder (bit-exact with the IMA/Microsoft decoder as sox implements it),
 * or ffmpeg's ({@link ImaDialect}). Values are v = s / 32768 for the 16-bit decoded s; the cell [lo, hi] of the
 * clean sample is delivered as offsets below = (lo - s) / 32768 <= 0 <= above = (hi - s) / 32768, exact in float.
 *
 * <p>Blocks are read from the caller's array, which must hold the block unchanged while it is decoded. Block
 * headers are checked with {@link #headerFault} before {@link #start}: a step index above 88 or a nonzero reserved
 * byte is a corrupt block (sox decodes such an index as 0 with a warning, ffmpeg refuses the block). Not
 * thread-safe; nothing is allocated after construction.
 */
public final class ImaBlockDecoder {

    private final ImaDialect dialect;
    private final int channels;
    private final int samplesPerBlock;
    private final int[] predictor;
    private final int[] index;
    private byte[] block;
    private int blockOff;
    private int frame;

    /**
     * @param channels        1..65535
     * @param samplesPerBlock sample frames a block holds: 8k + 1
     */
    public ImaBlockDecoder(int channels, int samplesPerBlock) {
        this(ImaDialect.REFERENCE, channels, samplesPerBlock);
    }

    /** A decoder of the arithmetic and cells of {@code dialect}. */
    public ImaBlockDecoder(ImaDialect dialect, int channels, int samplesPerBlock) {
        this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
        if (channels < 1 || channels > 65535) {
            throw new IllegalArgumentException("channels = " + channels + " is outside 1..65535");
        }
        if (samplesPerBlock < 1 || (samplesPerBlock - 1) % ImaAdpcm.GROUP_SAMPLES != 0) {
            throw new IllegalArgumentException("samplesPerBlock = " + samplesPerBlock + " is not 8k + 1");
        }
        this.channels = channels;
        this.samplesPerBlock = samplesPerBlock;
        this.predictor = new int[channels];
        this.index = new int[channels];
    }

    /**
     * The offset, relative to {@code off}, of the first bad byte of the channel headers of the block at
     * {@code block[off..]} (the step index byte 4c + 2 above 88, or the reserved byte 4c + 3 nonzero), or -1 when
     * every header is good.
     */
    public static int headerFault(byte[] block, int off, int channels) {
        for (int c = 0; c < channels; c++) {
            int at = off + ImaAdpcm.GROUP_BYTES * c;
            if ((block[at + 2] & 0xff) > ImaAdpcm.MAX_INDEX) {
                return at + 2 - off;
            }
            if (block[at + 3] != 0) {
                return at + 3 - off;
            }
        }
        return -1;
    }

    /** Starts decoding the block at {@code block[off..]}, whose headers {@link #headerFault} accepted. */
    public void start(byte[] block, int off) {
        this.block = Objects.requireNonNull(block, "block");
        this.blockOff = off;
        for (int c = 0; c < channels; c++) {
            int at = off + ImaAdpcm.GROUP_BYTES * c;
            predictor[c] = (short) ((block[at] & 0xff) | (block[at + 1] & 0xff) << 8);
            index[c] = block[at + 2] & 0xff;
            if (index[c] > ImaAdpcm.MAX_INDEX) {
                throw new IllegalArgumentException("block header of channel " + c + ": step index " + index[c]);
            }
        }
        frame = 0;
    }

    /** Sample frames of the current block not decoded yet. */
    public int remaining() {
        return samplesPerBlock - frame;
    }

    /**
     * Decodes the next {@code frames} sample frames of the block into {@code x[dst..]} (interleaved), and their
     * cells into {@code below[dst..]} and {@code above[dst..]} unless {@code below} is null. Modifies x, below,
     * above and the decoder's state.
     */
    public void decode(int frames, float[] x, float[] below, float[] above, int dst, ImaCells.Slack slack) {
        if (frames < 0 || frames > remaining()) {
            throw new IllegalArgumentException("frames = " + frames + " with " + remaining() + " left in the block");
        }
        int rowBytes = ImaAdpcm.GROUP_BYTES * channels;
        int o = dst;
        for (int f = frame, end = frame + frames; f < end; f++) {
            if (f == 0) {
                for (int c = 0; c < channels; c++, o++) {
                    int s = predictor[c];
                    x[o] = s * (1f / 32768f);
                    if (below != null) {
                        int h = slack.header(c);
                        below[o] = (Math.max(-32768, s - h) - s) * (1f / 32768f);
                        above[o] = (Math.min(32767, s + h) - s) * (1f / 32768f);
                    }
                }
                continue;
            }
            int k = f - 1;
            int row = blockOff + rowBytes * (1 + (k >> 3)) + ((k & 7) >> 1);
            boolean high = (k & 1) != 0;
            for (int c = 0; c < channels; c++, o++) {
                int b = block[row + ImaAdpcm.GROUP_BYTES * c] & 0xff;
                int code = high ? b >> 4 : b & 15;
                int p = predictor[c];
                int step = ImaAdpcm.STEP[index[c]];
                int s = dialect.decode(p, step, code);
                x[o] = s * (1f / 32768f);
                if (below != null) {
                    below[o] = (ImaCells.low(dialect, p, step, code, s, slack) - s) * (1f / 32768f);
                    above[o] = (ImaCells.high(dialect, p, step, code, s, slack) - s) * (1f / 32768f);
                }
                predictor[c] = s;
                index[c] = ImaAdpcm.nextIndex(index[c], code);
            }
        }
        frame += frames;
    }
}
