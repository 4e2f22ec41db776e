package dev.pdq.adpcm;

import java.util.Arrays;

/**
 * The reference IMA ADPCM encoder, writing WAV blocks. Each code comes from the three-comparison ladder on the
 * decoder's own predictor and step (see {@link ImaCells}), so every sample lies in its ladder cell exactly (slack
 * {@link ImaCells.Slack#NONE}), and the predictor is updated with the decoder's dq: the encoder tracks the decoder
 * bit for bit. A block's header holds its first sample and the step index the previous block ended with (0 for the
 * first block), as the IMA reference and ffmpeg do (sox also searches +-9 indices around it for the least error).
 * A last block with fewer sample frames is padded with zero samples, as sox pads it.
 *
 * <p>Not thread-safe: the step index carries over from block to block. Nothing is allocated after construction.
 */
public final class ImaBlockEncoder {

    private final int channels;
    private final int samplesPerBlock;
    private final int blockAlign;
    private final int[] index;

    /**
     * @param channels        1..65535
     * @param samplesPerBlock sample frames a block: 8k + 1
     */
    public ImaBlockEncoder(int channels, int samplesPerBlock) {
        if (channels < 1 || channels > 65535) {
            throw new IllegalArgumentException("channels = " + channels + " is outside 1..65535");
        }
        this.channels = channels;
        this.samplesPerBlock = samplesPerBlock;
        this.blockAlign = ImaAdpcm.blockAlign(samplesPerBlock, channels);
        this.index = new int[channels];
    }

    /** Bytes of a block. */
    public int blockAlign() {
        return blockAlign;
    }

    public int samplesPerBlock() {
        return samplesPerBlock;
    }

    /**
     * The ladder's code of sample s with predictor p and step: sign bit 8 when s < p, then b2 b1 b0 from
     * diff = |s - p| compared with step, step >> 1, step >> 2 in turn.
     */
    public static int code(int s, int p, int step) {
        int diff = s - p;
        int code = 0;
        if (diff < 0) {
            code = 8;
            diff = -diff;
        }
        if (diff >= step) {
            code |= 4;
            diff -= step;
        }
        if (diff >= step >> 1) {
            code |= 2;
            diff -= step >> 1;
        }
        if (diff >= step >> 2) {
            code |= 1;
        }
        return code;
    }

    /**
     * Encodes {@code frames} (1..samplesPerBlock) sample frames of interleaved 16-bit samples {@code pcm[off..]}
     * into the block {@code out[outOff .. outOff + blockAlign)}, zero samples after them. Modifies out and the
     * carried step indices.
     */
    public void encode(short[] pcm, int off, int frames, byte[] out, int outOff) {
        if (frames < 1 || frames > samplesPerBlock) {
            throw new IllegalArgumentException("frames = " + frames + " is outside 1.." + samplesPerBlock);
        }
        Arrays.fill(out, outOff, outOff + blockAlign, (byte) 0);
        int rowBytes = ImaAdpcm.GROUP_BYTES * channels;
        for (int c = 0; c < channels; c++) {
            int p = pcm[off + c];
            int idx = index[c];
            int h = outOff + ImaAdpcm.GROUP_BYTES * c;
            out[h] = (byte) p;
            out[h + 1] = (byte) (p >> 8);
            out[h + 2] = (byte) idx;
            for (int f = 1; f < samplesPerBlock; f++) {
                int s = f < frames ? pcm[off + f * channels + c] : 0;
                int step = ImaAdpcm.STEP[idx];
                int code = code(s, p, step);
                p = ImaAdpcm.decode(p, step, code);
                idx = ImaAdpcm.nextIndex(idx, code);
                int k = f - 1;
                int at = outOff + rowBytes * (1 + (k >> 3)) + ImaAdpcm.GROUP_BYTES * c + ((k & 7) >> 1);
                out[at] |= (byte) ((k & 1) == 0 ? code : code << 4);
            }
            index[c] = idx;
        }
    }
}
