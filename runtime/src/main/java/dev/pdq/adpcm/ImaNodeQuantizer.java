package dev.pdq.adpcm;

import dev.pdq.audio.PcmWriter;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Scheme;

/**
 * IMA ADPCM as the trainer simulates the node: the clean float signal rounded to 16 bits as the WAV path rounds it
 * ({@link PcmWriter#toS16}), encoded by {@link ImaBlockEncoder} in WAV blocks aligned to the signal's start, then
 * decoded by {@link ImaBlockDecoder}: x is the reference decoder's value, [x + below, x + above] the ladder cell of
 * the 16-bit sample (slack {@link ImaCells.Slack#NONE}: pdq's encoder follows the ladder exactly). This is what
 * {@link ImaWavWriter} followed by {@link ImaWavReader} gives for the same signal. Each block starts with its
 * header sample. The encoder's step index runs on from block to block (a block's header stores where the one
 * before left it), so the whole signal is one segment ({@link #segmentLength()} = 0): a block quantized alone,
 * from the first step index, would be 7.4 dB worse at 0 dBFS than in a real file.
 *
 * <p>Immutable and thread-safe (each call allocates its own encoder and buffers).
 */
public final class ImaNodeQuantizer implements NodeQuantizer {

    /** The cells' nominal half width: the full-scale 4-bit grid's, 2^-4 (see {@link #nominalHalfWidth()}). */
    public static final float NOMINAL_HALF_WIDTH = 1f / 16;

    private final int samplesPerBlock;

    /** Blocks of sox's mono size (256 bytes, 505 samples). */
    public ImaNodeQuantizer() {
        this(ImaAdpcm.samplesPerBlock(ImaAdpcm.soxBlockAlign(1), 1));
    }

    /** @param samplesPerBlock 8k + 1 */
    public ImaNodeQuantizer(int samplesPerBlock) {
        ImaAdpcm.blockAlign(samplesPerBlock, 1); // checks 8k + 1
        this.samplesPerBlock = samplesPerBlock;
    }

    @Override
    public Scheme scheme() {
        return Scheme.IMA_ADPCM;
    }

    @Override
    public int bits() {
        return 4;
    }

    @Override
    public int segmentLength() {
        return 0;
    }

    /** Samples of a WAV block. */
    public int samplesPerBlock() {
        return samplesPerBlock;
    }

    /**
     * 2^-4, the half width of the full-scale 4-bit uniform grid. ADPCM cells have no fixed width: they scale with
     * the step (step/8 to step/4 for a loud talker's steps of thousands of LSB, 1 LSB for the smallest), and the
     * top magnitude cell is open to the 16-bit range.
     */
    @Override
    public float nominalHalfWidth() {
        return NOMINAL_HALF_WIDTH;
    }

    @Override
    public void quantize(float[] clean, int off, int len, float[] x, float[] below, float[] above, int dst) {
        java.util.Objects.checkFromIndexSize(off, len, clean.length);
        java.util.Objects.checkFromIndexSize(dst, len, x.length);
        java.util.Objects.checkFromIndexSize(dst, len, below.length);
        java.util.Objects.checkFromIndexSize(dst, len, above.length);
        ImaBlockEncoder encoder = new ImaBlockEncoder(1, samplesPerBlock);
        ImaBlockDecoder decoder = new ImaBlockDecoder(1, samplesPerBlock);
        short[] pcm = new short[samplesPerBlock];
        byte[] block = new byte[encoder.blockAlign()];
        for (int start = 0; start < len; start += samplesPerBlock) {
            int frames = Math.min(samplesPerBlock, len - start);
            for (int i = 0; i < frames; i++) {
                pcm[i] = PcmWriter.toS16(clean[off + start + i]);
            }
            encoder.encode(pcm, 0, frames, block, 0);
            decoder.start(block, 0);
            decoder.decode(frames, x, below, above, dst + start, ImaCells.Slack.NONE);
        }
    }
}
