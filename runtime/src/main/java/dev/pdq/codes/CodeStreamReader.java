package dev.pdq.codes;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_CODE_STREAM;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.CellReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.StreamCellReader;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Reads a code stream, version 1 (runtime/CODESTREAM.md) or 2 (runtime/CODESTREAM-2.md), and delivers the decoded
 * values (the uniform grid's -1 + step*(c + 0.5), for BFP that times 2^-e) and, as a {@link CellReader}, their
 * cells (x +- r, for BFP x +- r 2^-e), with the streaming contract of {@link SampleReader}: a block is delivered
 * once it has fully arrived and its CRC checked; a fault is reported after every earlier block was delivered,
 * naming the block index and its byte offset. Buffers are allocated once, after the header, within the bounds of
 * {@link CodeStreamFormat}. Not thread-safe.
 */
public final class CodeStreamReader extends StreamCellReader {

    private final CodeStreamHeader header;
    private final Quantizer quantizer;
    private final BlockFloatQuantizer bfp; // null for the uniform grid
    private final int[] codes;
    private final int[] exponents;
    private final float[] values;
    private final float[] halfWidths;     // per value (BFP); null for the uniform grid, whose half width is r
    private final byte[] block;
    private final CRC32 crc = new CRC32();
    private int next;               // next value in values[] to deliver
    private int count;              // values decoded from the current block
    private long pos;               // stream offset of the next unread byte
    private long blockIndex;
    private long framesDecoded;
    private int shortGainBlock;     // frames of the last block when its last gain block was short (BFP), else 0
    private boolean ended;
    private IOException fault;

    private CodeStreamReader(InputStream in, CodeStreamHeader header) {
        super(in, header.channels());
        this.header = header;
        this.quantizer = new Quantizer(header.bits());
        this.bfp = header.scheme() == Scheme.BFP ? new BlockFloatQuantizer(header.bits(), header.gainBlockFrames())
                : null;
        int blockValues = header.blockFrames() * channels;
        int blockExponents = header.maxGainBlocks() * channels;
        this.codes = new int[blockValues];
        this.exponents = new int[blockExponents];
        this.values = new float[blockValues];
        this.halfWidths = header.scheme() == Scheme.BFP ? new float[blockValues] : null;
        this.block = new byte[CodeStreamFormat.payloadBytes(blockExponents, blockValues, header.bits())
                + CodeStreamFormat.BLOCK_OVERHEAD + CodeStreamFormat.END_MARKER_BYTES];
        this.pos = header.bytes();
    }

    /** Reads and checks the header (blocking until it is complete); the reader then delivers the samples. */
    public static CodeStreamReader open(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        return new CodeStreamReader(in, CodeStreamHeader.read(in));
    }

    /** The stream's header. */
    public CodeStreamHeader header() {
        return header;
    }

    /** Uniform (version 1, or version 2 with scheme 0) or BFP. */
    @Override
    public Scheme scheme() {
        return header.scheme();
    }

    @Override
    public int sampleRate() {
        return header.sampleRate();
    }

    @Override
    public int bits() {
        return quantizer.bits();
    }

    /** Block capacity F from the header. */
    @Override
    public int blockLength() {
        return header.scheme() == Scheme.BFP ? header.gainBlockFrames() : 0;
    }

    public int blockFrames() {
        return header.blockFrames();
    }

    /** The uniform grid of the codes (for BFP, the grid the scaled samples were quantized on). */
    public Quantizer quantizer() {
        return quantizer;
    }

    @Override
    public String description() {
        String grid = header.scheme() == Scheme.BFP ? "bfp, " + quantizer.bits() + " bits, gain blocks of "
                + header.gainBlockFrames() : quantizer.bits() + " bits";
        return "pdq code stream, " + grid + ", " + channels + (channels == 1 ? " channel" : " channels")
                + ", " + header.sampleRate() + " Hz";
    }

    /** The values, and with {@link #readCells} their cells: below = -h, above = h (h = r, or r 2^-e for BFP). */
    @Override
    protected int deliver(float[] x, float[] below, float[] above, int off, int len) throws IOException {
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
        System.arraycopy(values, next, x, off, n);
        if (below != null) {
            for (int i = 0; i < n; i++) {
                float h = halfWidths == null ? quantizer.halfWidth() : halfWidths[next + i];
                below[off + i] = -h;
                above[off + i] = h;
            }
        }
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
        int frames = CodeStreamHeader.getShort(block, 0);
        if (frames == 0) {
            readEndMarker(start, where);
            return false;
        }
        if (frames > header.blockFrames()) {
            throw bad(start, where + " claims " + frames + " sample frames, more than the block capacity "
                    + header.blockFrames() + " of the header (corrupt frame count?)");
        }
        if (shortGainBlock > 0) {
            throw bad(start, where + " follows a block of " + shortGainBlock + " sample frames, not a multiple of"
                    + " the gain block length " + header.gainBlockFrames() + ": only the last block may end with a"
                    + " short gain block");
        }
        int n = frames * channels;
        int ne = header.gainBlocks(frames) * channels;
        int payload = CodeStreamFormat.payloadBytes(ne, n, quantizer.bits());
        if (readFully(block, 2, payload + 4) < payload + 4) {
            throw bad(pos, "the stream ended inside " + where + " of " + frames + " sample frames");
        }
        int stored = CodeStreamHeader.getInt(block, 2 + payload);
        int computed = CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 2 + payload);
        if (stored != computed) {
            throw bad(start, String.format("%s: CRC mismatch (stored %08x, computed %08x): corrupt, lost or"
                    + " reordered data", where, stored, computed));
        }
        if (!CodeStreamFormat.unpack(block, 2, ne, exponents, n, quantizer.bits(), codes)) {
            throw bad(start, where + ": nonzero padding bits after the last code");
        }
        if (halfWidths == null) {
            for (int i = 0; i < n; i++) {
                values[i] = quantizer.value(codes[i]);
            }
        } else {
            decodeGainBlocks(frames);
        }
        next = 0;
        count = n;
        blockIndex++;
        framesDecoded += frames;
        shortGainBlock = frames % Math.max(1, header.gainBlockFrames()) == 0 ? 0 : frames;
        return true;
    }

    /** values[k] = value(codes[k]) * 2^-e and halfWidths[k] = r * 2^-e, e the exponent of k's gain block. */
    private void decodeGainBlocks(int frames) {
        int gain = header.gainBlockFrames();
        for (int j = 0, g = header.gainBlocks(frames); j < g; j++) {
            int first = j * gain;
            int last = Math.min(frames, first + gain);
            for (int c = 0; c < channels; c++) {
                int e = exponents[j * channels + c];
                float h = bfp.halfWidth(e);
                for (int k = first * channels + c, end = last * channels; k < end; k += channels) {
                    values[k] = bfp.value(codes[k], e);
                    halfWidths[k] = h;
                }
            }
        }
    }

    private void readEndMarker(long start, String where) throws IOException {
        String what = "the end marker (" + where + ")";
        if (readFully(block, 2, 12) < 12) {
            throw bad(pos, "the stream ended inside " + what);
        }
        int stored = CodeStreamHeader.getInt(block, 10);
        int computed = CodeStreamFormat.blockCrc(crc, blockIndex, block, 0, 10);
        if (stored != computed) {
            throw bad(start, String.format("%s: CRC mismatch (stored %08x, computed %08x)", what, stored, computed));
        }
        long total = CodeStreamHeader.getInt(block, 2) & 0xffffffffL | (long) CodeStreamHeader.getInt(block, 6) << 32;
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
}
