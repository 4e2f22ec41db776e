package dev.pdq.adpcm;

import dev.pdq.audio.PcmReader;
import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleArgs;
import dev.pdq.audio.StreamSampleWriter;
import dev.pdq.audio.WavHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes an IMA ADPCM WAV stream with {@link ImaBlockEncoder}, block by block: the header as sox writes it to a
 * pipe ({@link WavHeader#encodeIma} with unknown length, which sox and {@link ImaWavReader} read until the end of
 * the stream), then each block as soon as its sample frames are complete. Samples are rounded to 16 bits first as
 * every 16-bit output is ({@link PcmWriter#toS16}). {@link #finish()} writes the last, partial block padded with
 * zero samples (as sox pads it); a reader of the pipe then gets the padding too, since the length is not in the
 * header: {@link #patchSizes} fixes the header of a regular file afterwards, so that readers drop the padding.
 *
 * <p>{@link #flush()} writes the complete blocks only: a live pipe gets its samples a block (samplesPerBlock
 * frames) at a time. One sample buffer and one block buffer, allocated once. Not thread-safe.
 */
public final class ImaWavWriter extends StreamSampleWriter {

    private final ImaBlockEncoder encoder;
    private final short[] pcm;
    private final byte[] buf;
    private byte[] header;
    private int frames;             // sample frames in pcm[]
    private int used;               // bytes in buf[]
    private boolean finished;

    private ImaWavWriter(OutputStream out, int channels, int sampleRate, int blockAlign) {
        super(out, channels);
        SampleArgs.checkRange("channels", channels, PcmReader.MAX_CHANNELS);
        this.header = WavHeader.encodeIma(channels, sampleRate, blockAlign, -1);
        int samplesPerBlock = ImaAdpcm.samplesPerBlock(blockAlign, channels);
        this.encoder = new ImaBlockEncoder(channels, samplesPerBlock);
        this.pcm = new short[samplesPerBlock * channels];
        this.buf = new byte[blockAlign];
    }

    /** A writer with sox's block align for the channels (256 bytes a channel: 505 samples a block). */
    public static ImaWavWriter open(OutputStream out, int channels, int sampleRate) {
        return open(out, channels, sampleRate, ImaAdpcm.soxBlockAlign(channels));
    }

    /** A writer with blocks of {@code blockAlign} bytes, a multiple of 4 x channels. */
    public static ImaWavWriter open(OutputStream out, int channels, int sampleRate, int blockAlign) {
        return new ImaWavWriter(out, channels, sampleRate, blockAlign);
    }

    /** Sample frames a block. */
    public int samplesPerBlock() {
        return encoder.samplesPerBlock();
    }

    @Override
    protected void encode(float[] src, int off, int len) throws IOException {
        if (finished) {
            throw new IllegalStateException("write after finish");
        }
        int perBlock = encoder.samplesPerBlock();
        for (int i = 0; i < len; ) {
            int n = Math.min(len - i, (perBlock - frames) * channels);
            for (int k = 0; k < n; k++) {
                pcm[frames * channels + k] = PcmWriter.toS16(src[off + i + k]);
            }
            frames += n / channels;
            i += n;
            if (frames == perBlock) {
                encodeBlock();
            }
        }
    }

    /** Encodes the frames in pcm[] as one block and writes it out with the header before the first. */
    private void encodeBlock() throws IOException {
        writeHeader();
        encoder.encode(pcm, 0, frames, buf, 0);
        out.write(buf, 0, buf.length);
        frames = 0;
    }

    private void writeHeader() throws IOException {
        if (header != null) {
            out.write(header);
            header = null;
        }
    }

    /** Writes the header (if not yet written) and every complete block; a partial block stays buffered. */
    @Override
    public void flush() throws IOException {
        writeHeader();
        out.flush();
    }

    /** Writes the last block, padded with zero samples, then flushes; idempotent. */
    @Override
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            if (frames > 0) {
                encodeBlock();
            }
        }
        flush();
    }

    /**
     * Rewrites the sizes in the header of a file this writer wrote (the unknown-length placeholders) for
     * {@code frames} sample frames: the fact chunk's count, the data and RIFF sizes of the blocks the file holds.
     * For regular files only (a pipe cannot seek).
     *
     * @return false, changing nothing, when the file does not start with a header this writer writes
     */
    public static boolean patchSizes(FileChannel file, long frames) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(60);
        while (head.hasRemaining() && file.read(head, head.position()) > 0) {
            // positional reads until full or end of file
        }
        byte[] existing = head.array();
        if (head.position() < 60) {
            return false;
        }
        WavHeader h;
        try {
            h = WavHeader.read(new java.io.ByteArrayInputStream(existing), true);
        } catch (IOException e) {
            return false;
        }
        if (h.ima() == null || h.dataOffset() != 60) {
            return false;
        }
        byte[] unknown = WavHeader.encodeIma(h.channels(), h.sampleRate(), h.ima().blockAlign(), -1);
        if (!java.util.Arrays.equals(existing, unknown)) {
            return false;
        }
        int spb = h.ima().samplesPerBlock();
        long blocks = (file.size() - 60) / h.ima().blockAlign();
        if (frames < 0 || (frames + spb - 1) / spb != blocks) {
            throw new IllegalArgumentException(frames + " sample frames do not fill the " + blocks
                    + " blocks of the file");
        }
        ByteBuffer patched = ByteBuffer.wrap(WavHeader.encodeIma(h.channels(), h.sampleRate(), h.ima().blockAlign(),
                frames));
        long pos = 0;
        while (patched.hasRemaining()) {
            pos += file.write(patched, pos);
        }
        return true;
    }
}
