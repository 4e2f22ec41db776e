package dev.pdq.adpcm;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_BLOCK;
import static dev.pdq.audio.AudioFormatException.Kind.ODD_LENGTH;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.StreamCellReader;
import dev.pdq.audio.WavHeader;
import dev.pdq.quant.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads the data of an IMA ADPCM WAV (format tag 0x11, as sox and ffmpeg write it) and delivers the reference
 * decoder's values and their cells ({@link ImaCells}, widened by the {@link ImaCells.Slack} given), or ffmpeg's
 * decoding and its cells ({@link ImaDialect#FFMPEG}, for files ffmpeg wrote), with the
 * streaming contract of {@link dev.pdq.audio.SampleReader}: a block is delivered once it has fully arrived and its
 * headers are checked.
 *
 * <p>Length: with a data size in the header and a fact chunk, exactly the fact chunk's sample frames (the last
 * block's padding dropped; sox and ffmpeg decode it too); a data size larger than the stream ends at the end of the
 * stream. Without a data size (0 or a streaming placeholder: a WAV written to a pipe) the fact chunk is a
 * placeholder too and every block is decoded to the end of the stream, its padding included.
 *
 * <p>Faults, each after every sample before it was delivered, naming the block index and its byte offset:
 * a channel header with a step index above 88 or a nonzero reserved byte ({@code BAD_BLOCK}, at that byte); the
 * data ending inside a block before the fact chunk's count is reached ({@code ODD_LENGTH}, at the first sample
 * frame the block could not give: the samples of its complete 4-byte groups are delivered first, as sox decodes
 * them). One block buffer of blockAlign bytes is allocated, once. Not thread-safe.
 */
public final class ImaWavReader extends StreamCellReader {

    private final ImaDialect dialect;
    private final int sampleRate;
    private final int blockAlign;
    private final int samplesPerBlock;
    private final ImaCells.Slack slack;
    private final String description;
    private final ImaBlockDecoder decoder;
    private final byte[] block;
    private long pos;               // stream offset of the next unread byte
    private long dataLeft;          // data bytes not yet read
    private long framesLeft;        // sample frames still to deliver (the fact chunk's count, or unbounded)
    private long blockIndex = -1;   // the block in block[]
    private int ready;              // sample frames of the current block not yet delivered
    private boolean ended;
    private IOException fault;      // thrown once ready is 0

    private ImaWavReader(InputStream in, WavHeader h, ImaDialect dialect, ImaCells.Slack slack) {
        super(in, h.channels());
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        WavHeader.Ima ima = Objects.requireNonNull(h.ima(), "not an IMA ADPCM header");
        this.slack = Objects.requireNonNull(slack, "slack");
        this.sampleRate = h.sampleRate();
        this.blockAlign = ima.blockAlign();
        this.samplesPerBlock = ima.samplesPerBlock();
        this.decoder = new ImaBlockDecoder(dialect, channels, samplesPerBlock);
        this.block = new byte[blockAlign];
        this.pos = h.dataOffset();
        boolean sized = h.dataBytes() >= 0;
        this.dataLeft = sized ? h.dataBytes() : Long.MAX_VALUE;
        this.framesLeft = sized && ima.factFrames() >= 0 ? ima.factFrames() : Long.MAX_VALUE;
        this.description = "WAV IMA ADPCM, " + channels + (channels == 1 ? " channel" : " channels") + ", "
                + sampleRate + " Hz, " + samplesPerBlock + " samples a block of " + blockAlign + " bytes"
                + (dialect == ImaDialect.FFMPEG ? ", decoded as ffmpeg decodes it" : "");
    }

    /**
     * The reader of the samples after an IMA ADPCM header {@code h} just read from {@code in}
     * ({@link WavHeader#read(InputStream, boolean)}).
     */
    public static ImaWavReader open(InputStream in, WavHeader h, ImaCells.Slack slack) {
        return open(in, h, ImaDialect.REFERENCE, slack);
    }

    /** As {@link #open(InputStream, WavHeader, ImaCells.Slack)}, decoding in {@code dialect}. */
    public static ImaWavReader open(InputStream in, WavHeader h, ImaDialect dialect, ImaCells.Slack slack) {
        return new ImaWavReader(in, h, dialect, slack);
    }

    /** Reads the header from {@code in} (blocking until it is complete); PCM and other formats are refused. */
    public static ImaWavReader open(InputStream in, ImaCells.Slack slack) throws IOException {
        WavHeader h = WavHeader.read(in, true);
        if (h.ima() == null) {
            throw new AudioFormatException(AudioFormatException.Kind.UNSUPPORTED_FORMAT, -1,
                    "not an IMA ADPCM WAV (" + h.encoding() + ")");
        }
        return open(in, h, slack);
    }

    @Override
    public Scheme scheme() {
        return Scheme.IMA_ADPCM;
    }

    /** 4 bits a sample. */
    @Override
    public int bits() {
        return 4;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    public int blockAlign() {
        return blockAlign;
    }

    public int samplesPerBlock() {
        return samplesPerBlock;
    }

    public ImaCells.Slack slack() {
        return slack;
    }

    public ImaDialect dialect() {
        return dialect;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    protected int deliver(float[] x, float[] below, float[] above, int off, int len) throws IOException {
        if (ready == 0) {
            if (fault != null) {
                throw fault;
            }
            if (ended) {
                return -1;
            }
            try {
                nextBlock();
            } catch (IOException e) { // the stream's own error: no way to resynchronize
                fault = e;
                throw e;
            }
            if (ready == 0) {
                if (fault != null) {
                    throw fault;
                }
                ended = true;
                return -1;
            }
        }
        int frames = Math.min(ready, len / channels);
        decoder.decode(frames, x, below, above, off, slack);
        ready -= frames;
        framesLeft -= frames;
        framesDelivered += frames;
        return frames * channels;
    }

    /** Reads the next block (blocking until it has arrived) and sets ready, and fault for a bad or short one. */
    private void nextBlock() throws IOException {
        if (framesLeft == 0 || dataLeft == 0) {
            return;
        }
        long start = pos;
        int want = (int) Math.min(blockAlign, dataLeft);
        int got = in.readNBytes(block, 0, want);
        pos += got;
        dataLeft -= got;
        if (got == 0) {
            return;
        }
        blockIndex++;
        int row = ImaAdpcm.GROUP_BYTES * channels;
        String where = "block " + blockIndex + " (starting at byte offset " + start + ")";
        if (got >= row) {
            int bad = ImaBlockDecoder.headerFault(block, 0, channels);
            if (bad >= 0) {
                int c = bad / ImaAdpcm.GROUP_BYTES;
                int v = block[bad] & 0xff;
                fault = new AudioFormatException(BAD_BLOCK, start + bad, where + ": the header of channel " + c
                        + (bad % ImaAdpcm.GROUP_BYTES == 2 ? " has step index " + v + " (at most 88)"
                        : " has reserved byte " + v + " (must be 0)"));
                return;
            }
            decoder.start(block, 0);
        }
        int frames = got == blockAlign ? samplesPerBlock
                : got < row ? 0 : 1 + ImaAdpcm.GROUP_SAMPLES * (got / row - 1);
        ready = (int) Math.min(frames, framesLeft);
        if (got < blockAlign && ready < framesLeft) {
            long cut = got < row ? start : start + (long) row * (got / row);
            fault = new AudioFormatException(ODD_LENGTH, cut, "the data ends " + got + " bytes into " + where
                    + " of " + blockAlign + " bytes, inside " + (got < row ? "its channel headers"
                    : "a group of " + row + " bytes"));
        }
    }

    @Override
    public int available() throws IOException {
        if (ready > 0) {
            return ready * channels;
        }
        if (fault != null || ended || framesLeft == 0 || dataLeft == 0) {
            return 0;
        }
        // a whole block waiting in the stream can be read without blocking
        long next = Math.min(blockAlign, dataLeft);
        return Math.max(in.available(), 0) >= next ? (int) Math.min(samplesPerBlock, framesLeft) * channels : 0;
    }
}
