package dev.pdq.codes;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_CODE_STREAM;
import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleReader;
import dev.pdq.quant.Quantizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Reads a code stream (runtime/CODESTREAM.md) and delivers the quantized values -1 + step*(c + 0.5), with the
 * streaming contract of {@link SampleReader}: a block is delivered once it has fully arrived and its CRC checked;
 * a fault is reported after every earlier block was delivered, naming the block index and its byte offset.
 * Buffers are allocated once, after the header, within the bounds of {@link CodeStreamFormat}. Not thread-safe.
 */
public final class CodeStreamReader implements SampleReader {

    private final InputStream in;
    private final Quantizer quantizer;
    private final int channels;
    private final int sampleRate;
    private final int blockFrames;
    private final int[] codes;
    private final float[] values;
    private final byte[] block;
    private final CRC32 crc = new CRC32();
    private int next;               // next value in values[] to deliver
    private int count;              // values decoded from the current block
    private long pos;               // stream offset of the next unread byte
    private long blockIndex;
    private long framesDecoded;
    private long framesDelivered;
    private boolean ended;
    private IOException fault;

    private CodeStreamReader(InputStream in, int bits, int channels, int sampleRate, int blockFrames) {
        this.in = in;
        this.quantizer = new Quantizer(bits);
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.blockFrames = blockFrames;
        int blockValues = blockFrames * channels;
        this.codes = new int[blockValues];
        this.values = new float[blockValues];
        this.block = new byte[CodeStreamFormat.payloadBytes(blockValues, bits) + CodeStreamFormat.BLOCK_OVERHEAD
                + CodeStreamFormat.END_MARKER_BYTES];
        this.pos = CodeStreamFormat.HEADER_BYTES;
    }

    /** Reads and checks the header (blocking until it is complete); the reader then delivers the samples. */
    public static CodeStreamReader open(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        byte[] h = new byte[CodeStreamFormat.HEADER_BYTES];
        int got = in.readNBytes(h, 0, 5);
        if (got >= 4 && !CodeStreamFormat.hasMagic(h, got)) {
            throw new AudioFormatException(MALFORMED_HEADER, 0, "not a pdq code stream: no PDQC magic");
        }
        if (got == 5 && h[4] != CodeStreamFormat.VERSION) {
            throw new AudioFormatException(UNSUPPORTED_FORMAT, 4,
                    "code stream version " + (h[4] & 0xff) + " (this reader knows version " + CodeStreamFormat.VERSION
                            + ")");
        }
        got += in.readNBytes(h, got, h.length - got);
        if (got < h.length) {
            throw new AudioFormatException(TRUNCATED_HEADER, got, "the stream ended after " + got + " of the "
                    + h.length + " bytes of the code stream header");
        }
        CRC32 crc = new CRC32();
        crc.update(h, 0, 14);
        if ((int) crc.getValue() != getInt(h, 14)) {
            throw new AudioFormatException(MALFORMED_HEADER, 14, String.format(
                    "code stream header CRC mismatch (stored %08x, computed %08x)", getInt(h, 14), crc.getValue()));
        }
        int bits = h[5] & 0xff;
        int channels = getShort(h, 6);
        long rate = getInt(h, 8) & 0xffffffffL;
        int blockFrames = getShort(h, 12);
        if (bits < Quantizer.MIN_BITS || bits > Quantizer.MAX_BITS) {
            throw new AudioFormatException(MALFORMED_HEADER, 5, "bits = " + bits + " is outside 1..16");
        }
        if (channels == 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 6, "0 channels");
        }
        if (channels > CodeStreamFormat.MAX_CHANNELS) {
            throw new AudioFormatException(LIMIT_EXCEEDED, 6,
                    channels + " channels is more than the limit of " + CodeStreamFormat.MAX_CHANNELS);
        }
        if (rate == 0 || rate > CodeStreamFormat.MAX_SAMPLE_RATE) {
            throw new AudioFormatException(rate == 0 ? MALFORMED_HEADER : UNSUPPORTED_FORMAT, 8,
                    "sample rate " + rate + " Hz is outside 1.." + CodeStreamFormat.MAX_SAMPLE_RATE);
        }
        if (blockFrames == 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 12, "block capacity of 0 frames");
        }
        if (blockFrames > CodeStreamFormat.MAX_BLOCK_FRAMES) {
            throw new AudioFormatException(LIMIT_EXCEEDED, 12, "block capacity of " + blockFrames
                    + " frames is more than the limit of " + CodeStreamFormat.MAX_BLOCK_FRAMES);
        }
        return new CodeStreamReader(in, bits, channels, (int) rate, blockFrames);
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int bits() {
        return quantizer.bits();
    }

    /** Block capacity F from the header. */
    public int blockFrames() {
        return blockFrames;
    }

    public Quantizer quantizer() {
        return quantizer;
    }

    @Override
    public String description() {
        return "pdq code stream, " + quantizer.bits() + " bits, " + channels + (channels == 1 ? " channel" : " channels")
                + ", " + sampleRate + " Hz";
    }

    @Override
    public long framesDelivered() {
        return framesDelivered;
    }

    @Override
    public int read(float[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        if (len < channels) {
            throw new IllegalArgumentException("len = " + len + " is less than one sample frame of " + channels);
        }
        if (next == count) {
            if (fault != null) {
                throw fault;
            }
            if (ended) {
                return -1;
            }
            try {
                if (!readBlock()) {
                    ended = true;
                    return -1;
                }
            } catch (IOException e) { // a fault, or the stream's own error mid-block: no way to resynchronize
                fault = e;
                throw e;
            }
        }
        int n = Math.min(count - next, len / channels * channels);
        System.arraycopy(values, next, dst, off, n);
        next += n;
        framesDelivered += n / channels;
        return n;
    }

    /** Reads the next block into values[]; false at a valid end marker. Blocks until the block has arrived. */
    private boolean readBlock() throws IOException {
        long start = pos;
        String where = "block " + blockIndex + " (starting at byte offset " + start + ")";
        int got = readFully(block, 0, 2);
        if (got == 0) {
            throw bad(start, "the stream ended without an end marker after " + blockIndex + " blocks and "
                    + framesDecoded + " sample frames");
        }
        if (got < 2) {
            throw bad(pos, "the stream ended inside the frame count of " + where);
        }
        int frames = getShort(block, 0);
        if (frames == 0) {
            readEndMarker(start, where);
            return false;
        }
        if (frames > blockFrames) {
            throw bad(start, where + " claims " + frames + " sample frames, more than the block capacity "
                    + blockFrames + " of the header (corrupt frame count?)");
        }
        int n = frames * channels;
        int payload = CodeStreamFormat.payloadBytes(n, quantizer.bits());
        if (readFully(block, 2, payload + 4) < payload + 4) {
            throw bad(pos, "the stream ended inside " + where + " of " + frames + " sample frames");
        }
        int stored = getInt(block, 2 + payload);
        int computed = CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 2 + payload);
        if (stored != computed) {
            throw bad(start, String.format("%s: CRC mismatch (stored %08x, computed %08x): corrupt, lost or"
                    + " reordered data", where, stored, computed));
        }
        if (!CodeStreamFormat.unpack(block, 2, n, quantizer.bits(), codes)) {
            throw bad(start, where + ": nonzero padding bits after the last code");
        }
        for (int i = 0; i < n; i++) {
            values[i] = quantizer.value(codes[i]);
        }
        next = 0;
        count = n;
        blockIndex++;
        framesDecoded += frames;
        return true;
    }

    private void readEndMarker(long start, String where) throws IOException {
        String what = "the end marker (" + where + ")";
        if (readFully(block, 2, 12) < 12) {
            throw bad(pos, "the stream ended inside " + what);
        }
        int stored = getInt(block, 10);
        int computed = CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 10);
        if (stored != computed) {
            throw bad(start, String.format("%s: CRC mismatch (stored %08x, computed %08x)", what, stored, computed));
        }
        long total = getInt(block, 2) & 0xffffffffL | (long) getInt(block, 6) << 32;
        if (total != framesDecoded) {
            throw bad(start, what + " counts " + Long.toUnsignedString(total) + " sample frames but the blocks held "
                    + framesDecoded);
        }
        if (in.read() >= 0) {
            throw bad(pos, "data after the end marker");
        }
    }

    /** Reads up to len bytes, fewer only at the end of the stream; advances pos. */
    private int readFully(byte[] b, int off, int len) throws IOException {
        int got = in.readNBytes(b, off, len);
        pos += got;
        return got;
    }

    private AudioFormatException bad(long offset, String message) {
        return new AudioFormatException(BAD_CODE_STREAM, offset, message);
    }

    @Override
    public int available() {
        return count - next;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static int getShort(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int getInt(byte[] b, int i) {
        return getShort(b, i) | getShort(b, i + 2) << 16;
    }
}
