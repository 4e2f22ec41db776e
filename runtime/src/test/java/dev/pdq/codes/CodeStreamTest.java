package dev.pdq.codes;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_CODE_STREAM;
import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.AudioFormatException;
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

class CodeStreamTest {

    /** Random grid values (cell centers) of a quantizer, seeded. */
    static float[] gridValues(Quantizer q, int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = q.value(rnd.nextInt(q.levels()));
        }
        return v;
    }

    static byte[] encode(int bits, int channels, int blockFrames, float[] v, int... flushAfterFrames)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CodeStreamWriter w = new CodeStreamWriter(out, bits, channels, 16000, blockFrames)) {
            CodeStreamV2Test.write(w, v, channels, flushAfterFrames);
        }
        return out.toByteArray();
    }

    static Drain.Result decode(byte[] stream, int len) throws IOException {
        return Drain.readAll(CodeStreamReader.open(new ByteArrayInputStream(stream)), len);
    }

    /** Block i's start offset in a stream of full blocks of F frames. */
    static long blockOffset(int i, int frames, int channels, int bits) {
        return CodeStreamFormat.HEADER_BYTES + (long) i * (CodeStreamFormat.payloadBytes(frames * channels, bits) + 6);
    }

    static AudioFormatException assertFault(Drain.Result r, AudioFormatException.Kind kind, long offset,
                                            String fragment) {
        return assertFault(r.fault(), kind, offset, fragment);
    }

    /** The fault is an AudioFormatException of that kind at that offset, whose message says so and holds fragment. */
    static AudioFormatException assertFault(IOException fault, AudioFormatException.Kind kind, long offset,
                                            String fragment) {
        assertTrue(fault instanceof AudioFormatException, "fault: " + fault);
        AudioFormatException e = (AudioFormatException) fault;
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    // ---- round trips ----

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void roundTripsEveryBitDepthChannelCountAndLength(int bits) throws IOException {
        Quantizer q = new Quantizer(bits);
        int blockFrames = 5;
        for (int channels : new int[] {1, 2, 3}) {
            float[] all = gridValues(q, 23 * channels, bits * 10L + channels);
            for (int frames = 0; frames <= 23; frames++) {
                float[] v = Arrays.copyOf(all, frames * channels);
                byte[] stream = encode(bits, channels, blockFrames, v);
                int blocks = (frames + blockFrames - 1) / blockFrames;
                int payload = 0;
                for (int b = 0; b < blocks; b++) {
                    int f = Math.min(blockFrames, frames - b * blockFrames);
                    payload += CodeStreamFormat.payloadBytes(f * channels, bits) + 6;
                }
                assertEquals(18 + payload + 14, stream.length, "stream length");
                for (int len : new int[] {channels, 7 * channels}) {
                    CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(stream));
                    assertEquals(bits, r.bits());
                    assertEquals(channels, r.channels());
                    assertEquals(16000, r.sampleRate());
                    assertEquals(blockFrames, r.blockFrames());
                    Drain.Result d = Drain.readAll(r, len);
                    assertNull(d.fault());
                    assertArrayEquals(v, d.values(), bits + " bits, " + channels + " channels, " + frames);
                }
            }
        }
    }

    /** A version-1 stream is the uniform scheme: as a CellReader, its values and the cells x +- r. */
    @Test
    void versionOneReadsAsCellsOfTheUniformGrid() throws IOException {
        Quantizer q = new Quantizer(5);
        float[] v = gridValues(q, 3 * 50, 13);
        CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(encode(5, 3, 20, v)));
        assertEquals(Scheme.UNIFORM, r.scheme());
        assertEquals(1, r.header().version());
        assertEquals("pdq code stream, 5 bits, 3 channels, 16000 Hz", r.description());
        float[] x = new float[v.length];
        float[] below = new float[v.length];
        float[] above = new float[v.length];
        int n = 0;
        int got;
        while ((got = r.readCells(x, below, above, n, Math.min(9, v.length - n))) > 0) {
            n += got;
            if (n == v.length) {
                break;
            }
        }
        assertEquals(v.length, n);
        assertEquals(-1, r.readCells(x, below, above, 0, 3));
        assertArrayEquals(v, x);
        for (int i = 0; i < v.length; i++) {
            assertEquals(-q.halfWidth(), below[i], 0f);
            assertEquals(q.halfWidth(), above[i], 0f);
        }
    }

    @Test
    void encoderQuantizesArbitraryValues() throws IOException {
        Random rnd = new Random(3);
        float[] v = new float[4000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2.4 - 1.2);
        }
        for (int bits : new int[] {1, 4, 8, 16}) {
            Quantizer q = new Quantizer(bits);
            float[] expected = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                expected[i] = q.quantize(v[i]);
            }
            assertArrayEquals(expected, decode(encode(bits, 2, 320, v), 640).values());
        }
    }

    @Test
    void flushEmitsShortBlocks() throws IOException {
        Quantizer q = new Quantizer(4);
        float[] v = gridValues(q, 1000, 1);
        byte[] stream = encode(4, 1, 320, v, 5, 6, 400);
        // blocks: 5, 1, then 320 (full) and 74 before the flush at 400, then 320 and 280
        int expected = 18 + (3 + 6) + (1 + 6) + (160 + 6) + (37 + 6) + (160 + 6) + (140 + 6) + 14;
        assertEquals(expected, stream.length);
        assertArrayEquals(v, decode(stream, 333).values());
    }

    @Test
    void fourBitMonoStreamCostsFourPointOneFiveBitsASample() throws IOException {
        float[] v = gridValues(new Quantizer(4), 320 * 100, 2);
        byte[] stream = encode(4, 1, CodeStreamFormat.DEFAULT_BLOCK_FRAMES, v);
        assertEquals(18 + 100 * 166 + 14, stream.length);
    }

    @Test
    void packingIsLsbFirstAsSpecified() throws IOException {
        Quantizer q = new Quantizer(3);
        float[] v = {q.value(1), q.value(2), q.value(3), q.value(4), q.value(5)};
        byte[] s = encode(3, 1, 320, v);
        // header, then frames = 5, then codes 1,2,3,4,5 at 3 bits LSB first: 0xd1 0x58
        assertEquals("0500d158", Bytes.hex(Arrays.copyOfRange(s, 18, 22)));
        CRC32 crc = new CRC32();
        crc.update(new byte[] {0, 0, 0, 0, 5, 0, (byte) 0xd1, 0x58});
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(s, 22, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        // end marker: index 1, 0 frames, 5 frames in total
        crc.reset();
        crc.update(Bytes.hex("01000000" + "0000" + "0500000000000000"));
        assertEquals("0000" + "0500000000000000", Bytes.hex(Arrays.copyOfRange(s, 26, 36)));
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(s, 36, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals(40, s.length);
    }

    @Test
    void headerLayout() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CodeStreamWriter(out, 7, 3, 44100, 256).finish();
        byte[] s = out.toByteArray();
        assertEquals("50445143" + "01" + "07" + "0300" + "44ac0000" + "0001", Bytes.hex(Arrays.copyOf(s, 14)));
        CRC32 crc = new CRC32();
        crc.update(s, 0, 14);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(s, 14, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals(18 + 14, s.length);
        assertNull(decode(s, 3).fault());
    }

    // ---- streaming ----

    @Test
    void deliversACompleteBlockWithoutWaitingForTheNext() throws IOException {
        Quantizer q = new Quantizer(4);
        float[] v = gridValues(q, 12, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriter w = new CodeStreamWriter(out, 4, 2, 16000, 320);
        w.write(v, 0, 12);
        assertEquals(0, out.size(), "nothing goes out before a flush or a full block");
        w.flush();
        byte[] soFar = out.toByteArray();
        CodeStreamReader r = CodeStreamReader.open(new ScriptedInputStream(ScriptedInputStream.After.BLOCK,
                Arrays.copyOf(soFar, 10), Arrays.copyOfRange(soFar, 10, soFar.length)));
        float[] dst = new float[640];
        assertEquals(12, r.read(dst, 0, 640));
        assertArrayEquals(v, Arrays.copyOf(dst, 12));
        assertThrows(ScriptedInputStream.WouldBlock.class, () -> r.read(dst, 0, 640));
    }

    @Test
    void aBlockIsDeliveredInPiecesWhenTheCallerAsksForLess() throws IOException {
        float[] v = gridValues(new Quantizer(8), 30, 5);
        CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(encode(8, 3, 10, v)));
        float[] dst = new float[30];
        assertEquals(6, r.read(dst, 0, 7));
        assertEquals(24, r.available());
        assertEquals(24, r.read(dst, 6, 24));
        assertEquals(0, r.available());
        assertEquals(-1, r.read(dst, 0, 30));
        assertArrayEquals(v, dst);
    }

    // ---- corruption: every earlier block delivered first, then the block index and offset ----

    @Test
    void corruptBlockFaultsAfterEveryEarlierBlock() throws IOException {
        int bits = 5, channels = 2, f = 8;
        float[] v = gridValues(new Quantizer(bits), 5 * f * channels, 6);
        byte[] stream = encode(bits, channels, f, v);
        int blockBytes = CodeStreamFormat.payloadBytes(f * channels, bits) + 6;
        for (int block = 0; block < 5; block++) {
            for (int at : new int[] {2, 3, blockBytes - 5, blockBytes - 1}) { // payload bytes and CRC bytes
                byte[] bad = stream.clone();
                long start = blockOffset(block, f, channels, bits);
                bad[(int) start + at] ^= 0x10;
                Drain.Result d = decode(bad, 7 * channels);
                assertArrayEquals(Arrays.copyOf(v, block * f * channels), d.values(), "blocks before " + block);
                assertFault(d, BAD_CODE_STREAM, start, "block " + block + " (starting at byte offset " + start + ")");
                assertTrue(d.fault().getMessage().contains("CRC mismatch"), d.fault().getMessage());
            }
        }
    }

    @Test
    void corruptFrameCount() throws IOException {
        float[] v = gridValues(new Quantizer(4), 20, 7);
        byte[] stream = encode(4, 1, 10, v);
        long second = blockOffset(1, 10, 1, 4);
        byte[] tooMany = stream.clone();
        tooMany[(int) second] = 11;
        Drain.Result d = decode(tooMany, 3);
        assertArrayEquals(Arrays.copyOf(v, 10), d.values());
        assertFault(d, BAD_CODE_STREAM, second, "claims 11 sample frames, more than the block capacity 10");
        byte[] fewer = stream.clone();
        fewer[(int) second] = 9; // a valid count: the CRC catches it
        Drain.Result e = decode(fewer, 3);
        assertArrayEquals(Arrays.copyOf(v, 10), e.values());
        assertFault(e, BAD_CODE_STREAM, second, "CRC mismatch");
    }

    @Test
    void lostRepeatedOrReorderedBlocksFailTheirCrc() throws IOException {
        int f = 4;
        float[] v = gridValues(new Quantizer(6), 4 * f, 8);
        byte[] stream = encode(6, 1, f, v);
        int bb = CodeStreamFormat.payloadBytes(f, 6) + 6;
        byte[] header = Arrays.copyOf(stream, 18);
        byte[][] blocks = new byte[4][];
        for (int i = 0; i < 4; i++) {
            blocks[i] = Arrays.copyOfRange(stream, 18 + i * bb, 18 + (i + 1) * bb);
        }
        byte[] end = Arrays.copyOfRange(stream, 18 + 4 * bb, stream.length);
        byte[] lost = Bytes.concat(header, blocks[0], blocks[2], blocks[3], end);
        byte[] repeated = Bytes.concat(header, blocks[0], blocks[1], blocks[1], blocks[2], blocks[3], end);
        byte[] swapped = Bytes.concat(header, blocks[0], blocks[2], blocks[1], blocks[3], end);
        for (byte[] s : new byte[][] {lost, swapped}) {
            Drain.Result d = decode(s, 64);
            assertArrayEquals(Arrays.copyOf(v, f), d.values());
            assertFault(d, BAD_CODE_STREAM, 18 + bb, "block 1 ");
        }
        Drain.Result d = decode(repeated, 64);
        assertArrayEquals(Arrays.copyOf(v, 2 * f), d.values());
        assertFault(d, BAD_CODE_STREAM, 18 + 2 * bb, "block 2 ");
        // the last block lost: the end marker (index 3 instead of 4) fails its CRC
        Drain.Result e = decode(Bytes.concat(header, blocks[0], blocks[1], blocks[2], end), 64);
        assertArrayEquals(Arrays.copyOf(v, 3 * f), e.values());
        assertFault(e, BAD_CODE_STREAM, 18 + 3 * bb, "end marker");
    }

    @Test
    void truncatedAtEveryByteAfterTheHeader() throws IOException {
        int f = 3, channels = 2, bits = 7;
        float[] v = gridValues(new Quantizer(bits), 4 * f * channels, 9); // 4 full blocks
        byte[] stream = encode(bits, channels, f, v);
        int bb = CodeStreamFormat.payloadBytes(f * channels, bits) + 6;
        for (int cut = 18; cut < stream.length; cut++) {
            Drain.Result d = decode(Arrays.copyOf(stream, cut), 5 * channels);
            int completeBlocks = Math.min(4, (cut - 18) / bb);
            assertArrayEquals(Arrays.copyOf(v, completeBlocks * f * channels), d.values(), "cut at " + cut);
            AudioFormatException e = (AudioFormatException) d.fault();
            assertEquals(BAD_CODE_STREAM, e.kind(), "cut at " + cut);
            boolean atBoundary = cut <= 18 + 4 * bb && (cut - 18) % bb == 0;
            String expected = atBoundary ? "without an end marker after " + completeBlocks + " blocks"
                    : cut >= stream.length - 12 ? "ended inside the end marker" : "ended inside";
            assertTrue(e.getMessage().contains(expected), "cut at " + cut + ": " + e.getMessage());
            assertEquals(cut, e.offset(), "the offset where the stream ended, cut at " + cut);
        }
    }

    @Test
    void endMarkerTotalMustMatchTheBlocks() throws IOException {
        float[] v = gridValues(new Quantizer(4), 10, 10);
        byte[] stream = encode(4, 1, 4, v);
        int end = stream.length - 14;
        byte[] bad = stream.clone();
        bad[end + 2] = 11; // total 11 instead of 10; recompute the CRC so that only the total is wrong
        int crc = CodeStreamFormat.blockCrc(new CRC32(), 3, bad, end, 10);
        ByteBuffer.wrap(bad, end + 10, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        Drain.Result d = decode(bad, 64);
        assertArrayEquals(v, d.values());
        assertFault(d, BAD_CODE_STREAM, end, "counts 11 sample frames but the blocks held 10");
    }

    @Test
    void dataAfterTheEndMarker() throws IOException {
        float[] v = gridValues(new Quantizer(2), 9, 11);
        byte[] stream = Bytes.concat(encode(2, 3, 4, v), new byte[] {0});
        Drain.Result d = decode(stream, 64);
        assertArrayEquals(v, d.values());
        assertFault(d, BAD_CODE_STREAM, stream.length - 1, "data after the end marker");
    }

    @Test
    void nonzeroPaddingBits() throws IOException {
        float[] v = gridValues(new Quantizer(3), 1, 12); // 3 bits: 5 padding bits
        byte[] bad = encode(3, 1, 4, v);
        bad[20] |= (byte) 0x80;
        int crc = CodeStreamFormat.blockCrc(new CRC32(), 0, bad, 18, 3);
        ByteBuffer.wrap(bad, 21, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        assertFault(decode(bad, 64), BAD_CODE_STREAM, 18, "nonzero padding bits");
    }

    // ---- headers ----

    static byte[] header(int version, int bits, int channels, long rate, int blockFrames, boolean fixCrc) {
        ByteBuffer h = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        h.put(CodeStreamFormat.MAGIC).put((byte) version).put((byte) bits).putShort((short) channels)
                .putInt((int) rate).putShort((short) blockFrames);
        CRC32 crc = new CRC32();
        crc.update(h.array(), 0, 14);
        h.putInt(fixCrc ? (int) crc.getValue() : (int) crc.getValue() ^ 1);
        return h.array();
    }

    static void assertRefused(byte[] stream, AudioFormatException.Kind kind, long offset, String fragment) {
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> CodeStreamReader.open(new ByteArrayInputStream(stream)));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void truncatedHeaderAtEveryByte() {
        byte[] h = header(1, 4, 1, 16000, 320, true);
        for (int cut = 0; cut < 18; cut++) {
            assertRefused(Arrays.copyOf(h, cut), TRUNCATED_HEADER, cut, "of the 18 bytes");
        }
    }

    @Test
    void badHeaders() {
        assertRefused(Bytes.concat(Bytes.hex("50445158"), new byte[20]), MALFORMED_HEADER, 0, "no PDQC magic");
        assertRefused(Bytes.hex("5044514303"), UNSUPPORTED_FORMAT, 4, "version 3");
        assertRefused(Bytes.hex("50445143ff"), UNSUPPORTED_FORMAT, 4, "version 255");
        assertRefused(header(1, 4, 1, 16000, 320, false), MALFORMED_HEADER, 14, "header CRC mismatch");
        assertRefused(header(1, 0, 1, 16000, 320, true), MALFORMED_HEADER, 5, "bits = 0");
        assertRefused(header(1, 17, 1, 16000, 320, true), MALFORMED_HEADER, 5, "bits = 17");
        assertRefused(header(1, 4, 0, 16000, 320, true), MALFORMED_HEADER, 6, "0 channels");
        assertRefused(header(1, 4, 1, 0, 320, true), MALFORMED_HEADER, 8, "sample rate 0");
        assertRefused(header(1, 4, 1, 0xffffffffL, 320, true), UNSUPPORTED_FORMAT, 8, "sample rate 4294967295");
        assertRefused(header(1, 4, 1, 16000, 0, true), MALFORMED_HEADER, 12, "block capacity of 0");
    }

    @Test
    void boundsAreRefusedNotAllocated() throws IOException {
        long before = Allocation.bytes();
        assertRefused(header(1, 16, 65535, 16000, 320, true), LIMIT_EXCEEDED, 6, "65535 channels");
        assertRefused(header(1, 16, 1, 16000, 65535, true), LIMIT_EXCEEDED, 12, "65535 frames");
        long allocated = Allocation.bytes() - before;
        assertTrue(allocated < (1 << 20), "allocated " + allocated + " bytes refusing 2 headers");
        // the largest header accepted allocates its bounded buffers: 4096 x 64 values
        byte[] max = Bytes.concat(header(1, 16, 64, 16000, 4096, true), new byte[] {0, 0},
                new byte[8], new byte[4]);
        before = Allocation.bytes();
        CodeStreamReader r = CodeStreamReader.open(new ByteArrayInputStream(max));
        allocated = Allocation.bytes() - before;
        assertEquals(4096, r.blockFrames());
        assertTrue(allocated < (3 << 20), "allocated " + allocated + " bytes for the largest header");
    }

    @Test
    void writerArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 0, 1, 16000, 320));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 17, 1, 16000, 320));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 4, 0, 16000, 320));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 4, 65, 16000, 320));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 4, 1, 0, 320));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 4, 1, 16000, 0));
        assertThrows(IllegalArgumentException.class, () -> new CodeStreamWriter(out, 4, 1, 16000, 4097));
        CodeStreamWriter w = new CodeStreamWriter(out, 4, 2, 16000, 320);
        assertThrows(IllegalArgumentException.class, () -> w.write(new float[3], 0, 3));
    }

    @Test
    void finishIsIdempotentAndEndsWriting() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamV2Test.finishTwice(new CodeStreamWriter(out, 4, 1, 16000, 320), out);
    }
}
