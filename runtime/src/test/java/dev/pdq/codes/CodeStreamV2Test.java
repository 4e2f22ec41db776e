package dev.pdq.codes;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_CODE_STREAM;
import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleWriter;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.testing.Allocation;
import dev.pdq.testing.Bytes;
import dev.pdq.testing.Drain;
import dev.pdq.testing.ScriptedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Version 2 of the code stream (runtime/CODESTREAM-2.md): BFP and uniform, round trips, layout, faults. */
class CodeStreamV2Test {

    /** What a reader delivered through readCells: values, cells, and the fault that ended it (null: clean end). */
    record Cells(float[] x, float[] below, float[] above, IOException fault) {
    }

    /**
     * Interleaved test signal: channel c at about 2^(-6c) of the level of channel 0, which changes at random every
     * few frames between -60 and +1 dBFS (a few blocks clip).
     */
    static float[] signal(int frames, int channels, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[frames * channels];
        double level = 0.5;
        for (int f = 0; f < frames; f++) {
            if (rnd.nextInt(6) == 0) {
                level = Math.pow(10, (-60 + 61 * rnd.nextDouble()) / 20);
            }
            for (int c = 0; c < channels; c++) {
                v[f * channels + c] = (float) (Math.scalb(level, -6 * c) * (2 * rnd.nextDouble() - 1));
            }
        }
        return v;
    }

    static byte[] encodeBfp(int bits, int gain, int channels, int blockFrames, float[] v, int... flushAfterFrames)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(bits, gain), channels,
                16000, blockFrames)) {
            write(w, v, channels, flushAfterFrames);
        }
        return out.toByteArray();
    }

    /** Writes v, flushing after each of the sample frame counts given, and checks the frames written. */
    static void write(SampleWriter w, float[] v, int channels, int... flushAfterFrames) throws IOException {
        int done = 0;
        for (int f : flushAfterFrames) {
            w.write(v, done, f * channels - done);
            w.flush();
            done = f * channels;
        }
        w.write(v, done, v.length - done);
        assertEquals(v.length / channels, w.framesWritten());
    }

    /** What the stream must decode to: every channel through BlockFloatQuantizer.quantize on its own. */
    static Cells expected(float[] v, int bits, int gain, int channels) {
        BlockFloatQuantizer q = new BlockFloatQuantizer(bits, gain);
        int frames = v.length / channels;
        float[] x = new float[v.length];
        float[] below = new float[v.length];
        float[] above = new float[v.length];
        float[] one = new float[frames];
        float[] ox = new float[frames];
        float[] ob = new float[frames];
        float[] oa = new float[frames];
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                one[f] = v[f * channels + c];
            }
            q.quantize(one, 0, frames, ox, ob, oa, 0);
            for (int f = 0; f < frames; f++) {
                x[f * channels + c] = ox[f];
                below[f * channels + c] = ob[f];
                above[f * channels + c] = oa[f];
            }
        }
        return new Cells(x, below, above, null);
    }

    /** Reads values and cells to the end or the fault, checking the read contract on every call. */
    static Cells readCells(CodeStreamReader r, int len) {
        int cap = 1024;
        float[] x = new float[cap];
        float[] below = new float[cap];
        float[] above = new float[cap];
        int n = 0;
        float[] dx = new float[len + 2];
        float[] db = new float[len + 2];
        float[] da = new float[len + 2];
        while (true) {
            int got;
            try {
                got = r.readCells(dx, db, da, 2, len);
            } catch (IOException e) {
                assertSame(e, assertThrows(IOException.class, () -> r.readCells(dx, db, da, 2, len)));
                assertEquals(n / r.channels(), r.framesDelivered());
                return new Cells(Arrays.copyOf(x, n), Arrays.copyOf(below, n), Arrays.copyOf(above, n), e);
            }
            if (got < 0) {
                assertEquals(n / r.channels(), r.framesDelivered());
                return new Cells(Arrays.copyOf(x, n), Arrays.copyOf(below, n), Arrays.copyOf(above, n), null);
            }
            assertTrue(got > 0 && got <= len && got % r.channels() == 0, "readCells returned " + got);
            if (n + got > x.length) {
                cap = Math.max(2 * cap, n + got);
                x = Arrays.copyOf(x, cap);
                below = Arrays.copyOf(below, cap);
                above = Arrays.copyOf(above, cap);
            }
            System.arraycopy(dx, 2, x, n, got);
            System.arraycopy(db, 2, below, n, got);
            System.arraycopy(da, 2, above, n, got);
            n += got;
        }
    }

    static Cells decodeCells(byte[] stream, int len) throws IOException {
        return readCells(CodeStreamReader.open(new ByteArrayInputStream(stream)), len);
    }

    /** Bytes of a v2 stream whose blocks hold the given frame counts (header, blocks, end marker). */
    static long streamBytes(int bits, int gain, int channels, int... blockFrames) {
        long bytes = CodeStreamFormat.HEADER_BYTES_V2 + CodeStreamFormat.END_MARKER_BYTES;
        for (int f : blockFrames) {
            int g = gain == 0 ? 0 : (f + gain - 1) / gain;
            bytes += 2 + ((long) g * channels * 4 + (long) f * channels * bits + 7) / 8 + 4;
        }
        return bytes;
    }

    static void assertCellsEqual(Cells expected, Cells got, String what) {
        assertArrayEquals(expected.x(), got.x(), what + ": values");
        assertArrayEquals(expected.below(), got.below(), what + ": below");
        assertArrayEquals(expected.above(), got.above(), what + ": above");
    }

    // ---- round trips ----

    /**
     * Every B, several gain block lengths and capacities, 1..3 channels, every stream length from 0 to 2 blocks
     * and a gain block beyond: values and cells are BlockFloatQuantizer's per channel, every clean sample lies in
     * its cell (no clipping below full scale), read() delivers the same values, and the stream has the length of
     * the format.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void bfpRoundTripsEveryBitDepthGainBlockChannelCountAndLength(int bits) throws IOException {
        int[][] shapes = {{1, 3}, {3, 6}, {5, 5}, {8, 16}};    // {N, F}
        for (int[] shape : shapes) {
            int gain = shape[0];
            int capacity = shape[1];
            for (int channels = 1; channels <= 3; channels++) {
                float[] all = signal(2 * capacity + gain + 1, channels, bits * 1000L + gain * 10L + channels);
                for (int frames = 0; frames <= 2 * capacity + gain + 1; frames++) {
                    String what = bits + " bits, N = " + gain + ", F = " + capacity + ", " + channels + " ch, "
                            + frames + " frames";
                    float[] v = Arrays.copyOf(all, frames * channels);
                    byte[] stream = encodeBfp(bits, gain, channels, capacity, v);
                    int full = frames / capacity;
                    int[] blocks = new int[full + (frames % capacity > 0 ? 1 : 0)];
                    Arrays.fill(blocks, capacity);
                    if (blocks.length > full) {
                        blocks[full] = frames % capacity;
                    }
                    assertEquals(streamBytes(bits, gain, channels, blocks), stream.length, what + ": stream length");
                    CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(stream));
                    assertEquals(Scheme.BFP, r.scheme());
                    assertEquals(bits, r.bits());
                    assertEquals(channels, r.channels());
                    assertEquals(gain, r.header().gainBlockFrames());
                    assertEquals(capacity, r.blockFrames());
                    Cells got = readCells(r, 4 * channels);
                    assertNull(got.fault(), what);
                    Cells expected = expected(v, bits, gain, channels);
                    assertCellsEqual(expected, got, what);
                    for (int i = 0; i < v.length; i++) {
                        if (Math.abs(v[i]) <= 1) {
                            assertTrue(got.x()[i] + got.below()[i] <= v[i] && v[i] <= got.x()[i] + got.above()[i],
                                    what + ": sample " + i + " outside its cell");
                        }
                    }
                    assertArrayEquals(expected.x(), decodeValues(stream, 7 * channels).values(), what + ": read()");
                }
            }
        }
    }

    static Drain.Result decodeValues(byte[] stream, int len) throws IOException {
        return Drain.readAll(CodeStreamReader.open(new ByteArrayInputStream(stream)), len);
    }

    /** Channels have their own exponents: a quiet channel beside a loud one keeps its narrow cells. */
    @Test
    void exponentsArePerChannel() throws IOException {
        int gain = BlockFloatQuantizer.DEFAULT_BLOCK_LENGTH;
        float[] v = new float[3 * gain * 2];
        for (int f = 0; f < 3 * gain; f++) {
            v[2 * f] = (float) Math.sin(f * 0.3) * 0.9f;            // e = 0
            v[2 * f + 1] = (float) Math.sin(f * 0.2) * 0.001f;      // e = 9
        }
        Cells got = decodeCells(encodeBfp(4, gain, 2, 3 * gain, v), 64);
        for (int f = 0; f < 3 * gain; f++) {
            assertEquals(Math.scalb(1f, -4), got.above()[2 * f], 0f);
            assertEquals(Math.scalb(1f, -4 - 9), got.above()[2 * f + 1], 0f, "frame " + f);
        }
    }

    /**
     * Flushing never changes what the stream decodes to: gain blocks stay counted from the start (a flush writes
     * only whole gain blocks); the default N and F, random flush points.
     */
    @Test
    void flushesWriteWholeGainBlocksAndDoNotChangeTheDecoding() throws IOException {
        int gain = BlockFloatQuantizer.DEFAULT_BLOCK_LENGTH;
        int capacity = CodeStreamFormat.DEFAULT_BFP_BLOCK_FRAMES;
        float[] v = signal(5000, 2, 5);
        Random rnd = new Random(6);
        int[] flushes = new int[20];
        for (int i = 0, at = 0; i < flushes.length; i++) {
            at += 1 + rnd.nextInt(2 * gain + 300);
            flushes[i] = Math.min(at, 5000);
        }
        byte[] plain = encodeBfp(4, gain, 2, capacity, v);
        byte[] flushed = encodeBfp(4, gain, 2, capacity, v, flushes);
        assertTrue(flushed.length > plain.length, "flushes write more, shorter blocks");
        Cells expected = expected(v, 4, gain, 2);
        assertCellsEqual(expected, decodeCells(plain, 300), "unflushed");
        assertCellsEqual(expected, decodeCells(flushed, 300), "flushed");
    }

    @Test
    void aFlushKeepsTheUnfinishedGainBlockPending() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(4, 4), 1, 16000, 12);
        float[] v = signal(11, 1, 7);
        w.write(v, 0, 3);
        w.flush();
        assertEquals(CodeStreamFormat.HEADER_BYTES_V2, out.size(), "3 frames: no whole gain block, the header only");
        w.write(v, 3, 6);
        w.flush();
        long oneBlock = streamBytes(4, 4, 1, 8) - CodeStreamFormat.END_MARKER_BYTES;
        assertEquals(oneBlock, out.size(), "9 frames: a block of 2 gain blocks, 1 frame pending");
        w.write(v, 9, 2);
        w.finish();
        assertEquals(streamBytes(4, 4, 1, 8, 3), out.size(), "the last 3 frames: a short gain block at the end");
        assertCellsEqual(expected(v, 4, 4, 1), decodeCells(out.toByteArray(), 16), "decoded");
    }

    @Test
    void deliversACompleteBlockWithoutWaitingForTheNext() throws IOException {
        float[] v = signal(16, 1, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(4, 8), 1, 16000, 64);
        w.write(v, 0, 16);
        w.flush();
        byte[] soFar = out.toByteArray();
        CodeStreamReader r = CodeStreamReader.open(new ScriptedInputStream(ScriptedInputStream.After.BLOCK,
                Arrays.copyOf(soFar, 25), Arrays.copyOfRange(soFar, 25, soFar.length)));
        float[] x = new float[64];
        float[] below = new float[64];
        float[] above = new float[64];
        assertEquals(16, r.readCells(x, below, above, 0, 64));
        assertArrayEquals(expected(v, 4, 8, 1).x(), Arrays.copyOf(x, 16));
        assertThrows(ScriptedInputStream.WouldBlock.class, () -> r.readCells(x, below, above, 0, 64));
    }

    /** Wire cost of the defaults: 4-bit mono, 100 full blocks, 4 + 4/32 + 48/1280 bits a sample plus the ends. */
    @Test
    void defaultFourBitMonoStreamCostsUnderFourPointTwoBitsASample() throws IOException {
        int capacity = CodeStreamFormat.DEFAULT_BFP_BLOCK_FRAMES;
        float[] v = signal(100 * capacity, 1, 9);
        byte[] stream = encodeBfp(4, BlockFloatQuantizer.DEFAULT_BLOCK_LENGTH, 1, capacity, v);
        int blockBytes = 2 + (40 * 4 + 1280 * 4) / 8 + 4;
        assertEquals(666, blockBytes);
        assertEquals(21 + 100 * blockBytes + 14, stream.length);
        double bits = 8.0 * stream.length / v.length;
        assertTrue(bits <= 4.2, "bits a sample " + bits);
        assertEquals(4 + 4.0 / 32 + 48.0 / 1280 + 8.0 * (21 + 14) / v.length, bits, 1e-12);
    }

    @Test
    void uniformVersionTwoDecodesLikeVersionOne() throws IOException {
        float[] v = signal(777, 3, 10);
        for (int bits : new int[] {1, 4, 16}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CodeStreamWriterV2 w = CodeStreamWriterV2.uniform(out, bits, 3, 16000, 100)) {
                write(w, v, 3, 5, 6, 333);
            }
            byte[] v2 = out.toByteArray();
            assertEquals(streamBytes(bits, 0, 3, 5, 1, 100, 100, 100, 27, 100, 100, 100, 100, 44), v2.length);
            Cells got = decodeCells(v2, 30);
            assertArrayEquals(CodeStreamTest.decode(CodeStreamTest.encode(bits, 3, 100, v), 30).values(), got.x());
            float r = new Quantizer(bits).halfWidth();
            for (int i = 0; i < v.length; i++) {
                assertEquals(-r, got.below()[i], 0f);
                assertEquals(r, got.above()[i], 0f);
            }
            assertEquals(Scheme.UNIFORM, CodeStreamReader.open(new ByteArrayInputStream(v2)).scheme());
        }
    }

    // ---- layout ----

    @Test
    void layoutAsSpecified() throws IOException {
        // B = 3, N = 2, F = 4, mono: block 0 = gain blocks [0.5, -0.25] (e = 1) and [0.1, 0.05] (e = 3);
        // block 1 = [0.3] (e = 1), a short gain block at the end
        float[] v = {0.5f, -0.25f, 0.1f, 0.05f, 0.3f};
        byte[] s = encodeBfp(3, 2, 1, 4, v);
        assertEquals("50445143" + "02" + "03" + "0100" + "803e0000" + "0400" + "01" + "0200",
                Bytes.hex(Arrays.copyOf(s, 17)));
        assertCrc(s, 17, -1, s, 0, 17);
        // exponents 1, 3 then codes 7, 2, 7, 5 (3 bits), LSB first: 0x31, 0xd7, 0x0b
        assertEquals("0400" + "31d70b", Bytes.hex(Arrays.copyOfRange(s, 21, 26)));
        assertCrc(s, 26, 0, s, 21, 5);
        // exponent 1, code 6: 0x61
        assertEquals("0100" + "61", Bytes.hex(Arrays.copyOfRange(s, 30, 33)));
        assertCrc(s, 33, 1, s, 30, 3);
        assertEquals("0000" + "0500000000000000", Bytes.hex(Arrays.copyOfRange(s, 37, 47)));
        assertCrc(s, 47, 2, s, 37, 10);
        assertEquals(51, s.length);
        BlockFloatQuantizer q = new BlockFloatQuantizer(3, 2);
        Cells got = decodeCells(s, 8);
        assertArrayEquals(new float[] {q.value(7, 1), q.value(2, 1), q.value(7, 3), q.value(5, 3), q.value(6, 1)},
                got.x());
        assertArrayEquals(new float[] {q.halfWidth(1), q.halfWidth(1), q.halfWidth(3), q.halfWidth(3),
                q.halfWidth(1)}, got.above());
    }

    /** The CRC at s[at..at+4): of the block index (none when negative) and b[off..off+len). */
    static void assertCrc(byte[] s, int at, long index, byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        if (index >= 0) {
            crc.update(new byte[] {(byte) index, (byte) (index >> 8), (byte) (index >> 16), (byte) (index >> 24)});
        }
        crc.update(b, off, len);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(s, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    // ---- faults: everything before delivered first, then the block index and offset ----

    static void assertFault(Cells c, AudioFormatException.Kind kind, long offset, String fragment) {
        CodeStreamTest.assertFault(c.fault(), kind, offset, fragment);
    }

    /** Start of block i in a stream of full blocks. */
    static long blockOffset(int i, int bits, int gain, int channels, int capacity) {
        return CodeStreamFormat.HEADER_BYTES_V2 + (long) i * (streamBytes(bits, gain, channels, capacity)
                - CodeStreamFormat.HEADER_BYTES_V2 - CodeStreamFormat.END_MARKER_BYTES);
    }

    /** Every bit of every exponent nibble of every block flipped: a CRC fault at that block, the earlier delivered. */
    @Test
    void corruptExponentsFailTheBlockCrc() throws IOException {
        int bits = 5, gain = 4, channels = 2, capacity = 12;
        float[] v = signal(4 * capacity, channels, 11);
        byte[] stream = encodeBfp(bits, gain, channels, capacity, v);
        Cells clean = expected(v, bits, gain, channels);
        int exponentBytes = capacity / gain * channels / 2;   // 6 exponents of 4 bits
        for (int block = 0; block < 4; block++) {
            long start = blockOffset(block, bits, gain, channels, capacity);
            for (int bit = 0; bit < 8 * exponentBytes; bit++) {
                byte[] bad = stream.clone();
                bad[(int) start + 2 + bit / 8] ^= (byte) (1 << (bit % 8));
                Cells got = decodeCells(bad, 5 * channels);
                int before = block * capacity * channels;
                assertArrayEquals(Arrays.copyOf(clean.x(), before), got.x(), "blocks before " + block);
                assertArrayEquals(Arrays.copyOf(clean.above(), before), got.above(), "blocks before " + block);
                assertFault(got, BAD_CODE_STREAM, start, "block " + block + " (starting at byte offset " + start
                        + "): CRC mismatch");
            }
        }
    }

    @Test
    void truncatedAtEveryByteAfterTheHeader() throws IOException {
        int bits = 3, gain = 3, channels = 2, capacity = 6;
        float[] v = signal(3 * capacity + 2, channels, 12);       // 3 full blocks and a short one
        byte[] stream = encodeBfp(bits, gain, channels, capacity, v);
        Cells clean = expected(v, bits, gain, channels);
        long[] ends = new long[5];
        for (int i = 0; i < 4; i++) {
            ends[i + 1] = ends[i] + streamBytes(bits, gain, channels, i < 3 ? capacity : 2) - 35;
        }
        for (int cut = 21; cut < stream.length; cut++) {
            Cells got = decodeCells(Arrays.copyOf(stream, cut), 5 * channels);
            int complete = 0;
            while (complete < 4 && 21 + ends[complete + 1] <= cut) {
                complete++;
            }
            int values = Math.min(v.length, complete * capacity * channels);
            assertArrayEquals(Arrays.copyOf(clean.x(), values), got.x(), "cut at " + cut);
            AudioFormatException e = (AudioFormatException) got.fault();
            assertEquals(BAD_CODE_STREAM, e.kind(), "cut at " + cut);
            assertEquals(cut, e.offset(), "cut at " + cut + ": " + e.getMessage());
            boolean atBoundary = cut == 21 + ends[complete];
            String message = atBoundary ? "without an end marker after " + complete + " blocks"
                    : cut >= stream.length - 12 ? "ended inside the end marker" : "ended inside";
            assertTrue(e.getMessage().contains(message), "cut at " + cut + ": " + e.getMessage());
        }
    }

    /** A block of f frames, exponents and codes as given, with the CRC of its index. */
    static byte[] block(long index, int frames, int[] exponents, int[] codes, int bits) {
        int payload = CodeStreamFormat.payloadBytes(exponents.length, codes.length, bits);
        byte[] b = new byte[2 + payload + 4];
        b[0] = (byte) frames;
        b[1] = (byte) (frames >> 8);
        CodeStreamFormat.pack(exponents, exponents.length, codes, codes.length, bits, b, 2);
        int crc = CodeStreamFormat.blockCrc(new CRC32(), index, b, 0, 2 + payload);
        ByteBuffer.wrap(b, 2 + payload, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        return b;
    }

    static byte[] endMarker(long index, long total) {
        byte[] b = new byte[14];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0).putLong(total);
        int crc = CodeStreamFormat.blockCrc(new CRC32(), index, b, 0, 10);
        ByteBuffer.wrap(b, 10, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        return b;
    }

    static byte[] header(int scheme, int bits, int channels, long rate, int capacity, int gain, boolean fixCrc) {
        ByteBuffer h = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
        h.put(CodeStreamFormat.MAGIC).put((byte) 2).put((byte) bits).putShort((short) channels).putInt((int) rate)
                .putShort((short) capacity).put((byte) scheme).putShort((short) gain);
        CRC32 crc = new CRC32();
        crc.update(h.array(), 0, 17);
        h.putInt(fixCrc ? (int) crc.getValue() : (int) crc.getValue() ^ 1);
        return h.array();
    }

    @Test
    void aShortGainBlockMayOnlyEndTheStream() throws IOException {
        // N = 4, F = 8: block 0 holds 3 frames (a short gain block), then another block follows
        byte[] first = block(0, 3, new int[] {2}, new int[] {1, 2, 3}, 4);
        byte[] second = block(1, 4, new int[] {0}, new int[] {4, 5, 6, 7}, 4);
        byte[] h = header(1, 4, 1, 16000, 8, 4, true);
        Cells got = decodeCells(Bytes.concat(h, first, second, endMarker(2, 7)), 16);
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 4);
        assertArrayEquals(new float[] {q.value(1, 2), q.value(2, 2), q.value(3, 2)}, got.x());
        assertFault(got, BAD_CODE_STREAM, 21 + first.length, "block 1 (starting at byte offset " + (21 + first.length)
                + ") follows a block of 3 sample frames, not a multiple of the gain block length 4");
        // the same short block last is a valid stream
        Cells ok = decodeCells(Bytes.concat(h, block(0, 4, new int[] {0}, new int[] {4, 5, 6, 7}, 4),
                block(1, 3, new int[] {2}, new int[] {1, 2, 3}, 4), endMarker(2, 7)), 16);
        assertNull(ok.fault());
        assertEquals(7, ok.x().length);
    }

    @Test
    void gainBlocksOfABlockTakeTheirOwnExponentsAndEveryNibbleIsAnExponent() throws IOException {
        // every exponent 0..15 in one block of 16 gain blocks of 1 frame: 4-bit nibbles, all valid
        int[] exps = new int[16];
        int[] codes = new int[16];
        for (int i = 0; i < 16; i++) {
            exps[i] = i;
            codes[i] = 15 - i;
        }
        byte[] s = Bytes.concat(header(1, 4, 1, 16000, 16, 1, true), block(0, 16, exps, codes, 4), endMarker(1, 16));
        Cells got = decodeCells(s, 16);
        assertNull(got.fault());
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 1);
        for (int i = 0; i < 16; i++) {
            assertEquals(q.value(15 - i, i), got.x()[i], 0f);
            assertEquals(q.halfWidth(i), got.above()[i], 0f);
        }
    }

    @Test
    void frameCountPaddingEndMarkerAndTrailingData() throws IOException {
        byte[] h = header(1, 3, 1, 16000, 4, 2, true);
        byte[] b0 = block(0, 4, new int[] {1, 2}, new int[] {1, 2, 3, 4}, 3);
        int at = 21 + b0.length;
        // more frames than the capacity
        Cells tooMany = decodeCells(Bytes.concat(h, b0, block(1, 5, new int[] {0, 0, 0}, new int[5], 3)), 8);
        assertEquals(4, tooMany.x().length);
        assertFault(tooMany, BAD_CODE_STREAM, at, "claims 5 sample frames, more than the block capacity 4");
        // nonzero padding after the last code: 1 exponent and 1 code of 3 bits = 7 bits, 1 padding bit
        byte[] pad = block(1, 1, new int[] {0}, new int[] {7}, 3);
        pad[2] |= (byte) 0x80;
        int crc = CodeStreamFormat.blockCrc(new CRC32(), 1, pad, 0, 3);
        ByteBuffer.wrap(pad, 3, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        assertFault(decodeCells(Bytes.concat(h, b0, pad, endMarker(2, 5)), 8), BAD_CODE_STREAM, at,
                "nonzero padding bits");
        // an end marker whose total disagrees, and one at the wrong index
        assertFault(decodeCells(Bytes.concat(h, b0, endMarker(1, 5)), 8), BAD_CODE_STREAM, at,
                "counts 5 sample frames but the blocks held 4");
        assertFault(decodeCells(Bytes.concat(h, b0, endMarker(2, 4)), 8), BAD_CODE_STREAM, at,
                "end marker (block 1 (starting at byte offset " + at + ")): CRC mismatch");
        // data after the end marker
        Cells trailing = decodeCells(Bytes.concat(h, b0, endMarker(1, 4), new byte[] {0}), 8);
        assertEquals(4, trailing.x().length);
        assertFault(trailing, BAD_CODE_STREAM, at + 14, "data after the end marker");
    }

    @Test
    void lostOrReorderedBlocksFailTheirCrc() throws IOException {
        int bits = 6, gain = 2, capacity = 4;
        float[] v = signal(3 * capacity, 1, 13);
        byte[] stream = encodeBfp(bits, gain, 1, capacity, v);
        int bb = (int) (streamBytes(bits, gain, 1, capacity) - 35);
        byte[] h = Arrays.copyOf(stream, 21);
        byte[][] blocks = new byte[3][];
        for (int i = 0; i < 3; i++) {
            blocks[i] = Arrays.copyOfRange(stream, 21 + i * bb, 21 + (i + 1) * bb);
        }
        byte[] end = Arrays.copyOfRange(stream, 21 + 3 * bb, stream.length);
        Cells clean = expected(v, bits, gain, 1);
        for (byte[] s : new byte[][] {Bytes.concat(h, blocks[0], blocks[2], end),
                Bytes.concat(h, blocks[0], blocks[2], blocks[1], end)}) {
            Cells got = decodeCells(s, 64);
            assertArrayEquals(Arrays.copyOf(clean.x(), capacity), got.x());
            assertFault(got, BAD_CODE_STREAM, 21 + bb, "block 1 ");
        }
    }

    // ---- headers ----

    static void assertRefused(byte[] stream, AudioFormatException.Kind kind, long offset, String fragment) {
        CodeStreamTest.assertRefused(stream, kind, offset, fragment);
    }

    @Test
    void truncatedHeaderAtEveryByte() {
        byte[] h = header(1, 4, 1, 16000, 1280, 32, true);
        for (int cut = 0; cut < 21; cut++) {
            assertRefused(Arrays.copyOf(h, cut), TRUNCATED_HEADER, cut, cut < 5 ? "of the 18 bytes" : "of the 21 bytes");
        }
    }

    @Test
    void badHeaders() {
        assertRefused(header(1, 4, 1, 16000, 1280, 32, false), MALFORMED_HEADER, 17, "header CRC mismatch");
        assertRefused(header(2, 4, 1, 16000, 1280, 32, true), UNSUPPORTED_FORMAT, 14, "scheme 2");
        assertRefused(header(255, 4, 1, 16000, 1280, 32, true), UNSUPPORTED_FORMAT, 14, "scheme 255");
        assertRefused(header(1, 1, 1, 16000, 1280, 32, true), MALFORMED_HEADER, 5, "bits = 1 is outside 2..8");
        assertRefused(header(1, 9, 1, 16000, 1280, 32, true), MALFORMED_HEADER, 5, "bits = 9 is outside 2..8");
        assertRefused(header(0, 17, 1, 16000, 1280, 0, true), MALFORMED_HEADER, 5, "bits = 17 is outside 1..16");
        assertRefused(header(1, 4, 0, 16000, 1280, 32, true), MALFORMED_HEADER, 6, "0 channels");
        assertRefused(header(1, 4, 1, 0, 1280, 32, true), MALFORMED_HEADER, 8, "sample rate 0");
        assertRefused(header(1, 4, 1, 16000, 0, 32, true), MALFORMED_HEADER, 12, "block capacity of 0");
        assertRefused(header(1, 4, 1, 16000, 1280, 0, true), MALFORMED_HEADER, 15, "gain block length 0");
        assertRefused(header(1, 4, 1, 16000, 1280, 48, true), MALFORMED_HEADER, 15,
                "gain block length 48 does not divide the block capacity 1280");
        assertRefused(header(1, 4, 1, 16000, 32, 64, true), MALFORMED_HEADER, 15,
                "gain block length 64 does not divide the block capacity 32");
        assertRefused(header(1, 4, 1, 16000, 1280, 65535, true), MALFORMED_HEADER, 15, "gain block length 65535");
        assertRefused(header(0, 4, 1, 16000, 320, 1, true), MALFORMED_HEADER, 15,
                "gain block length 1 for the uniform scheme");
    }

    @Test
    void boundsAreRefusedNotAllocated() throws IOException {
        long before = Allocation.bytes();
        assertRefused(header(1, 8, 65535, 16000, 1280, 32, true), LIMIT_EXCEEDED, 6, "65535 channels");
        assertRefused(header(1, 8, 1, 16000, 65535, 1, true), LIMIT_EXCEEDED, 12, "65535 frames");
        long allocated = Allocation.bytes() - before;
        assertTrue(allocated < (1 << 20), "allocated " + allocated + " bytes refusing 2 headers");
        // the largest BFP header: 4096 x 64 values, a gain block a frame
        byte[] max = Bytes.concat(header(1, 8, 64, 16000, 4096, 1, true), endMarker(0, 0));
        before = Allocation.bytes();
        CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(max));
        allocated = Allocation.bytes() - before;
        assertEquals(4096, r.blockFrames());
        long documented = 4096L * 64 * (4 + 4 + 4 + 4 + 2);
        assertTrue(allocated < documented + (64 << 10), "allocated " + allocated + " bytes for the largest header");
        assertNull(readCells(r, 64).fault());
    }

    @Test
    void writerArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 32);
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.bfp(out, q, 1, 16000, 1000));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.bfp(out, q, 0, 16000, 1280));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.bfp(out, q, 65, 16000, 1280));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.bfp(out, q, 1, 0, 1280));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.bfp(out, q, 1, 16000, 4128));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.uniform(out, 0, 1, 16000, 320));
        assertThrows(IllegalArgumentException.class, () -> CodeStreamWriterV2.uniform(out, 17, 1, 16000, 320));
        CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, q, 2, 16000, 1280);
        assertThrows(IllegalArgumentException.class, () -> w.write(new float[3], 0, 3));
    }

    @Test
    void finishIsIdempotentAndEndsWriting() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = finishTwice(CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(4, 32), 1, 16000, 1280), out);
        assertEquals(streamBytes(4, 32, 1, 2), size);
    }

    /**
     * Writes two values to w and finishes it twice, then flushes: the second finish and the flush add nothing to
     * out, and a write after finish throws. Returns the stream's size.
     */
    static int finishTwice(SampleWriter w, ByteArrayOutputStream out) throws IOException {
        w.write(new float[] {0.1f, 0.2f}, 0, 2);
        w.finish();
        int size = out.size();
        w.finish();
        w.flush();
        assertEquals(size, out.size());
        assertThrows(IllegalStateException.class, () -> w.write(new float[1], 0, 1));
        return size;
    }
}
