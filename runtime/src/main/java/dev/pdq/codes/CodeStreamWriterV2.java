package dev.pdq.codes;

import dev.pdq.audio.SampleArgs;
import dev.pdq.audio.StreamSampleWriter;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * Quantizes float samples and writes them as a version-2 code stream (runtime/CODESTREAM-2.md): block floating
 * point ({@link #bfp}) or the uniform grid ({@link #uniform}; {@link CodeStreamWriter} writes the uniform grid as
 * version 1 through {@link #version1}, which is what {@code pdq quantize} does). Samples are held until a block is full (then it goes to the
 * output stream) or {@link #flush()}. A BFP block holds whole gain blocks: a flush writes every complete gain block
 * and keeps the last N-1 frames at most (their exponent depends on samples still to come) for the next block;
 * {@link #finish()} writes them as a short last gain block, then the end marker. Gain blocks, and so the
 * exponents, are counted from the start of the stream, per channel. All buffers are allocated in the constructor.
 * Not thread-safe.
 */
public final class CodeStreamWriterV2 extends StreamSampleWriter {

    private final CodeStreamHeader header;
    private final Quantizer grid;
    private final BlockFloatQuantizer bfp;  // null for the uniform grid
    private final int blockValues;
    private final float[] samples;          // the pending sample frames, interleaved
    private final int[] codes;
    private final int[] exponents;          // of the block being written: gain block j, channel c at j*C + c
    private final byte[] block;
    private final CRC32 crc = new CRC32();
    private byte[] headerBytes;
    private int pending;                    // values in samples[]
    private long blockIndex;
    private boolean finished;

    private CodeStreamWriterV2(OutputStream out, CodeStreamHeader header) {
        super(out, header.channels()); // the factories checked the header's fields
        this.header = header;
        this.grid = new Quantizer(header.bits());
        this.bfp = header.scheme() == Scheme.BFP
                ? new BlockFloatQuantizer(header.bits(), header.gainBlockFrames()) : null;
        this.blockValues = header.blockFrames() * channels;
        int blockExponents = header.maxGainBlocks() * channels;
        this.samples = new float[blockValues];
        this.codes = new int[blockValues];
        this.exponents = new int[blockExponents];
        this.block = new byte[CodeStreamFormat.payloadBytes(blockExponents, blockValues, header.bits())
                + CodeStreamFormat.BLOCK_OVERHEAD + CodeStreamFormat.END_MARKER_BYTES];
        this.headerBytes = header.encode();
    }

    /**
     * A BFP stream: gain blocks of {@code quantizer.segmentLength()} frames, exponents per channel.
     *
     * @param blockFrames block capacity F, a multiple of the gain block length, at most
     *                    {@link CodeStreamFormat#MAX_BLOCK_FRAMES} ({@link CodeStreamFormat#DEFAULT_BFP_BLOCK_FRAMES}
     *                    with the default gain block length)
     */
    public static CodeStreamWriterV2 bfp(OutputStream out, BlockFloatQuantizer quantizer, int channels,
                                         int sampleRate, int blockFrames) {
        int gain = quantizer.segmentLength();
        checkCommon(channels, sampleRate, blockFrames);
        if (blockFrames % gain != 0) {
            throw new IllegalArgumentException("blockFrames = " + blockFrames + " is not a multiple of the gain"
                    + " block length " + gain);
        }
        return new CodeStreamWriterV2(out, new CodeStreamHeader(CodeStreamFormat.VERSION_2, Scheme.BFP,
                quantizer.bits(), channels, sampleRate, blockFrames, gain));
    }

    /** A version-2 stream of the uniform grid (no exponents): the codes of {@link CodeStreamWriter}. */
    public static CodeStreamWriterV2 uniform(OutputStream out, int bits, int channels, int sampleRate,
                                             int blockFrames) {
        if (bits < Quantizer.MIN_BITS || bits > Quantizer.MAX_BITS) {
            throw new IllegalArgumentException("bits = " + bits + " is outside " + Quantizer.MIN_BITS + ".."
                    + Quantizer.MAX_BITS);
        }
        checkCommon(channels, sampleRate, blockFrames);
        return new CodeStreamWriterV2(out, new CodeStreamHeader(CodeStreamFormat.VERSION_2, Scheme.UNIFORM, bits,
                channels, sampleRate, blockFrames, 0));
    }

    /**
     * A version-1 stream (runtime/CODESTREAM.md): the codes of {@link #uniform} under the shorter header with no
     * scheme and no gain block length. {@link CodeStreamWriter} writes through it; the bits are checked there.
     */
    static CodeStreamWriterV2 version1(OutputStream out, int bits, int channels, int sampleRate, int blockFrames) {
        checkCommon(channels, sampleRate, blockFrames);
        return new CodeStreamWriterV2(out, new CodeStreamHeader(CodeStreamFormat.VERSION, Scheme.UNIFORM, bits,
                channels, sampleRate, blockFrames, 0));
    }

    private static void checkCommon(int channels, int sampleRate, int blockFrames) {
        SampleArgs.checkRange("channels", channels, CodeStreamFormat.MAX_CHANNELS);
        SampleArgs.checkRange("sampleRate", sampleRate, CodeStreamFormat.MAX_SAMPLE_RATE);
        SampleArgs.checkRange("blockFrames", blockFrames, CodeStreamFormat.MAX_BLOCK_FRAMES);
    }

    /** The header this writer writes. */
    public CodeStreamHeader header() {
        return header;
    }

    /** Buffers the values; full blocks are quantized and go to the output stream. NaN counts as 0. */
    @Override
    protected void encode(float[] src, int off, int len) throws IOException {
        if (finished) {
            throw new IllegalStateException("write after finish()");
        }
        int done = 0;
        while (done < len) {
            int n = Math.min(len - done, blockValues - pending);
            System.arraycopy(src, off + done, samples, pending, n);
            pending += n;
            done += n;
            if (pending == blockValues) {
                emitBlock(header.blockFrames());
            }
        }
    }

    /**
     * Quantizes the first {@code frames} pending frames and writes them as one block (whole gain blocks, but for
     * the stream's last); the frames after them move to the front.
     */
    private void emitBlock(int frames) throws IOException {
        writeHeader();
        int n = frames * channels;
        int gainBlocks = header.gainBlocks(frames);
        if (bfp == null) {
            for (int i = 0; i < n; i++) {
                codes[i] = grid.code(samples[i]);
            }
        } else {
            int gain = header.gainBlockFrames();
            for (int j = 0; j < gainBlocks; j++) {
                int length = Math.min(gain, frames - j * gain);
                for (int c = 0; c < channels; c++) {
                    int first = j * gain * channels + c;
                    int e = BlockFloatQuantizer.exponent(samples, first, channels, length);
                    exponents[j * channels + c] = e;
                    bfp.codes(samples, first, channels, length, e, codes);
                }
            }
        }
        int ne = gainBlocks * channels;
        int payload = CodeStreamFormat.payloadBytes(ne, n, header.bits());
        block[0] = (byte) frames;
        block[1] = (byte) (frames >>> 8);
        CodeStreamFormat.pack(exponents, ne, codes, n, header.bits(), block, 2);
        putInt(block, 2 + payload, CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 2 + payload));
        out.write(block, 0, payload + CodeStreamFormat.BLOCK_OVERHEAD);
        blockIndex++;
        System.arraycopy(samples, n, samples, 0, pending - n);
        pending -= n;
    }

    private void writeHeader() throws IOException {
        if (headerBytes != null) {
            out.write(headerBytes);
            headerBytes = null;
        }
    }

    /**
     * Writes the pending whole gain blocks (every pending frame for the uniform grid) as a block, possibly short,
     * and flushes the output stream; fewer than N frames of an unfinished gain block stay pending.
     */
    @Override
    public void flush() throws IOException {
        int frames = pending / channels;
        int gain = Math.max(1, header.gainBlockFrames());
        int whole = frames / gain * gain;
        if (whole > 0 && !finished) {
            emitBlock(whole);
        }
        writeHeader();
        out.flush();
    }

    /** Writes the pending frames (a short last gain block among them) and the end marker, then flushes; idempotent. */
    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (pending > 0) {
            emitBlock(pending / channels);
        }
        writeHeader();
        block[0] = 0;
        block[1] = 0;
        long frames = framesWritten();
        for (int i = 0; i < 8; i++) {
            block[2 + i] = (byte) (frames >>> (8 * i));
        }
        putInt(block, 10, CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 10));
        out.write(block, 0, CodeStreamFormat.END_MARKER_BYTES);
        finished = true;
        out.flush();
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
