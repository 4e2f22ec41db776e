package dev.pdq.codes;

import dev.pdq.audio.SampleWriter;
import dev.pdq.quant.Quantizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Quantizes float samples and writes them as a code stream (runtime/CODESTREAM.md). A block goes to the output
 * stream when it is full or on {@link #flush()}; {@link #finish()} writes the end marker. All buffers are
 * allocated in the constructor. Not thread-safe.
 */
public final class CodeStreamWriter implements SampleWriter {

    private final OutputStream out;
    private final Quantizer quantizer;
    private final int channels;
    private final int blockValues;
    private final int[] codes;
    private final byte[] block;
    private final CRC32 crc = new CRC32();
    private byte[] header;
    private int pending;
    private long blockIndex;
    private long framesWritten;
    private boolean finished;

    /**
     * @param blockFrames block capacity F, 1..{@link CodeStreamFormat#MAX_BLOCK_FRAMES}
     *                    ({@link CodeStreamFormat#DEFAULT_BLOCK_FRAMES} is 20 ms at 16 kHz)
     */
    public CodeStreamWriter(OutputStream out, int bits, int channels, int sampleRate, int blockFrames) {
        this.out = Objects.requireNonNull(out, "out");
        this.quantizer = new Quantizer(bits);
        check(channels >= 1 && channels <= CodeStreamFormat.MAX_CHANNELS, "channels", channels,
                CodeStreamFormat.MAX_CHANNELS);
        check(sampleRate >= 1 && sampleRate <= CodeStreamFormat.MAX_SAMPLE_RATE, "sampleRate", sampleRate,
                CodeStreamFormat.MAX_SAMPLE_RATE);
        check(blockFrames >= 1 && blockFrames <= CodeStreamFormat.MAX_BLOCK_FRAMES, "blockFrames", blockFrames,
                CodeStreamFormat.MAX_BLOCK_FRAMES);
        this.channels = channels;
        this.blockValues = blockFrames * channels;
        this.codes = new int[blockValues];
        this.block = new byte[CodeStreamFormat.payloadBytes(blockValues, bits) + CodeStreamFormat.BLOCK_OVERHEAD
                + CodeStreamFormat.END_MARKER_BYTES];
        ByteBuffer h = ByteBuffer.allocate(CodeStreamFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(CodeStreamFormat.MAGIC).put((byte) CodeStreamFormat.VERSION).put((byte) bits)
                .putShort((short) channels).putInt(sampleRate).putShort((short) blockFrames);
        crc.update(h.array(), 0, h.position());
        h.putInt((int) crc.getValue());
        this.header = h.array();
    }

    private static void check(boolean ok, String name, int value, int max) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is outside 1.." + max);
        }
    }

    public Quantizer quantizer() {
        return quantizer;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public long framesWritten() {
        return framesWritten;
    }

    /** Quantizes and buffers the values; full blocks go to the output stream. NaN takes code 0. */
    @Override
    public void write(float[] src, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        if (len % channels != 0) {
            throw new IllegalArgumentException("len = " + len + " is not a multiple of " + channels + " channels");
        }
        if (finished) {
            throw new IllegalStateException("write after finish()");
        }
        for (int i = 0; i < len; i++) {
            codes[pending++] = quantizer.code(src[off + i]);
            if (pending == blockValues) {
                emitBlock();
            }
        }
        framesWritten += len / channels;
    }

    /** Writes the header (once) and the pending codes as one block. */
    private void emitBlock() throws IOException {
        writeHeader();
        int frames = pending / channels;
        int payload = CodeStreamFormat.payloadBytes(pending, quantizer.bits());
        block[0] = (byte) frames;
        block[1] = (byte) (frames >>> 8);
        CodeStreamFormat.pack(codes, pending, quantizer.bits(), block, 2);
        putInt(block, 2 + payload, CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 2 + payload));
        out.write(block, 0, payload + CodeStreamFormat.BLOCK_OVERHEAD);
        blockIndex++;
        pending = 0;
    }

    private void writeHeader() throws IOException {
        if (header != null) {
            out.write(header);
            header = null;
        }
    }

    /** Writes the pending codes as a block (possibly short) and flushes the output stream. */
    @Override
    public void flush() throws IOException {
        if (pending > 0) {
            emitBlock();
        }
        writeHeader();
        out.flush();
    }

    /** Writes the pending block and the end marker, then flushes; idempotent. */
    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (pending > 0) {
            emitBlock();
        }
        writeHeader();
        block[0] = 0;
        block[1] = 0;
        for (int i = 0; i < 8; i++) {
            block[2 + i] = (byte) (framesWritten >>> (8 * i));
        }
        putInt(block, 10, CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 10));
        out.write(block, 0, CodeStreamFormat.END_MARKER_BYTES);
        finished = true;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
