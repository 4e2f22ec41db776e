package dev.pdq.audio;

import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.ODD_LENGTH;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.testing.Allocation;
import dev.pdq.testing.Bytes;
import dev.pdq.testing.Drain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    @TempDir
    Path dir;

    static final byte[] GUID_TAIL = Bytes.hex("000010008000" + "00aa00389b71");
    static final short[] SAMPLES = {0, 1, -1, 32767, -32768, 1234, -4321, 99};

    // ---- header building ----

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return new Bytes().u16(tag).u16(channels).u32(rate).u32((long) rate * align).u16(align).u16(bits).toArray();
    }

    static byte[] fmt18(int tag, int channels, int rate, int bits) {
        return new Bytes().bytes(fmt(tag, channels, rate, bits)).u16(0).toArray();
    }

    static byte[] fmtExtensible(int channels, int rate, int bits, int validBits, int subFormat, byte[] guidTail) {
        return new Bytes().bytes(fmt(0xfffe, channels, rate, bits)).u16(22).u16(validBits).u32(0)
                .u32(subFormat).bytes(guidTail).toArray();
    }

    static byte[] chunk(String id, byte[] body) {
        Bytes b = new Bytes().ascii(id).u32(body.length).bytes(body);
        return (body.length & 1) == 1 ? b.u8(0).toArray() : b.toArray();
    }

    static byte[] data(long declared, byte[] payload) {
        return new Bytes().ascii("data").u32(declared).bytes(payload).toArray();
    }

    static byte[] riff(byte[]... chunks) {
        byte[] body = Bytes.concat(chunks);
        return new Bytes().ascii("RIFF").u32(4 + body.length).ascii("WAVE").bytes(body).toArray();
    }

    static byte[] canonical(short[] samples) {
        byte[] pcm = Bytes.s16le(samples);
        return riff(chunk("fmt ", fmt(1, 1, 16000, 16)), data(pcm.length, pcm));
    }

    static float[] floats(short[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = s[i] / 32768f;
        }
        return f;
    }

    static Drain.Result read(byte[] wav) throws IOException {
        return Drain.readAll(PcmReader.wav(new ByteArrayInputStream(wav)), 64);
    }

    static AudioFormatException assertRefused(byte[] wav, AudioFormatException.Kind kind, long offset,
                                              String fragment) {
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> PcmReader.wav(new ByteArrayInputStream(wav)));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    // ---- layouts that must be read ----

    @Test
    void canonicalPcm() throws IOException {
        PcmReader r = PcmReader.wav(new ByteArrayInputStream(canonical(SAMPLES)));
        assertEquals(1, r.channels());
        assertEquals(16000, r.sampleRate());
        assertEquals(SampleEncoding.S16LE, r.encoding());
        assertEquals("WAV 16-bit PCM, 1 channel, 16000 Hz", r.description());
        Drain.Result d = Drain.readAll(r, 3);
        assertNull(d.fault());
        assertArrayEquals(floats(SAMPLES), d.values());
    }

    @Test
    void fmtOf18BytesAndFloatWithFact() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES);
        assertArrayEquals(floats(SAMPLES),
                read(riff(chunk("fmt ", fmt18(1, 2, 8000, 16)), data(pcm.length, pcm))).values());
        float[] f = {0.5f, -0.25f, 1.5f, -3f};
        byte[] f32 = new Bytes().f32(f).toArray();
        byte[] wav = riff(chunk("fmt ", fmt18(3, 1, 48000, 32)), chunk("fact", new Bytes().u32(4).toArray()),
                data(f32.length, f32));
        PcmReader r = PcmReader.wav(new ByteArrayInputStream(wav));
        assertEquals(SampleEncoding.F32LE, r.encoding());
        assertEquals(48000, r.sampleRate());
        assertArrayEquals(f, Drain.readAll(r, 64).values());
        // float with a 16-byte fmt chunk, as arecord writes it
        assertArrayEquals(f, read(riff(chunk("fmt ", fmt(3, 2, 48000, 32)), data(f32.length, f32))).values());
    }

    @Test
    void extensiblePcmAndFloat() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES);
        byte[] wav = riff(chunk("fmt ", fmtExtensible(4, 16000, 16, 16, 1, GUID_TAIL)),
                chunk("fact", new Bytes().u32(2).toArray()), data(pcm.length, pcm));
        PcmReader r = PcmReader.wav(new ByteArrayInputStream(wav));
        assertEquals(4, r.channels());
        assertArrayEquals(floats(SAMPLES), Drain.readAll(r, 4).values());
        // 12 valid bits in a 16-bit container are read as 16-bit samples
        assertArrayEquals(floats(SAMPLES), read(riff(chunk("fmt ", fmtExtensible(2, 16000, 16, 12, 1, GUID_TAIL)),
                data(pcm.length, pcm))).values());
        float[] f = {0.125f, -0.75f};
        byte[] f32 = new Bytes().f32(f).toArray();
        assertArrayEquals(f, read(riff(chunk("fmt ", fmtExtensible(1, 16000, 32, 32, 3, GUID_TAIL)),
                data(f32.length, f32))).values());
    }

    @Test
    void chunksBeforeAndBetweenAreSkippedWithOddPadding() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES);
        byte[] list = chunk("LIST", new Bytes().ascii("INFOISFT").u32(5).ascii("sox!").u8(0).toArray());
        byte[] odd = chunk("note", new byte[] {1, 2, 3}); // 3 bytes and a pad byte
        byte[] junk = chunk("JUNK", new byte[28]);
        byte[] wav = riff(junk, list, chunk("fmt ", fmt(1, 1, 16000, 16)), odd, chunk("fact", new byte[4]),
                data(pcm.length, pcm));
        assertArrayEquals(floats(SAMPLES), read(wav).values());
        // an odd-sized fmt chunk (17 bytes) is followed by its pad byte too
        byte[] fmt17 = Arrays.copyOf(fmt18(1, 1, 16000, 16), 17);
        assertArrayEquals(floats(SAMPLES), read(riff(chunk("fmt ", fmt17), data(pcm.length, pcm))).values());
    }

    @Test
    void streamedDataSizesMeanUntilTheEnd() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES);
        for (long declared : new long[] {0, 0xffffffffL, 0x7ffff000L, 0x7fffeffcL, 0x7fffff00L, 0x7fff0000L,
                pcm.length + 1000}) {
            byte[] wav = riff(chunk("fmt ", fmt(1, 1, 16000, 16)), data(declared, pcm));
            Drain.Result d = read(wav);
            assertNull(d.fault(), "declared " + declared);
            assertArrayEquals(floats(SAMPLES), d.values(), "declared " + declared);
        }
    }

    @Test
    void declaredDataSizeEndsTheSamplesBeforeTrailingChunks() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES);
        byte[] wav = Bytes.concat(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), data(6, pcm)));
        assertArrayEquals(Arrays.copyOf(floats(SAMPLES), 3), read(wav).values());
        byte[] trailing = Bytes.concat(canonical(SAMPLES), chunk("LIST", new byte[40]));
        assertArrayEquals(floats(SAMPLES), read(trailing).values());
    }

    @Test
    void dataEndingInsideABlockAlignFaultsAfterTheWholeFrames() throws IOException {
        byte[] pcm = Bytes.s16le(SAMPLES); // 16 bytes: stereo has 4 frames
        byte[] header = riff(chunk("fmt ", fmt(1, 2, 16000, 16)), data(0, new byte[0]));
        byte[] wav = Bytes.concat(header, Arrays.copyOf(pcm, 14)); // 3 frames and half of the fourth
        Drain.Result d = read(wav);
        assertArrayEquals(Arrays.copyOf(floats(SAMPLES), 6), d.values());
        PcmReaderWriterTest.assertFault(d, ODD_LENGTH, header.length + 12);
        // a declared odd size
        byte[] odd = riff(chunk("fmt ", fmt(1, 1, 16000, 16)), data(5, pcm));
        Drain.Result o = read(odd);
        assertArrayEquals(Arrays.copyOf(floats(SAMPLES), 2), o.values());
        PcmReaderWriterTest.assertFault(o, ODD_LENGTH, 44 + 4);
    }

    // ---- refused headers, one per problem, with the offset of the field ----

    @Test
    void truncatedAtEveryByteOfTheHeader() {
        byte[] list = chunk("LIST", new byte[9]);
        byte[] wav = riff(list, chunk("fmt ", fmtExtensible(3, 16000, 16, 16, 1, GUID_TAIL)), data(0, new byte[0]));
        for (int cut = 0; cut < wav.length; cut++) {
            byte[] prefix = Arrays.copyOf(wav, cut);
            AudioFormatException e = assertThrows(AudioFormatException.class,
                    () -> PcmReader.wav(new ByteArrayInputStream(prefix)), "cut at " + cut);
            assertEquals(TRUNCATED_HEADER, e.kind(), e.getMessage());
            assertEquals(cut, e.offset(), e.getMessage());
        }
    }

    @Test
    void notRiffWave() {
        assertRefused(Bytes.concat(new Bytes().ascii("RIFX").u32(36).ascii("WAVE").toArray(), new byte[40]),
                UNSUPPORTED_FORMAT, 0, "RIFX");
        assertRefused(Bytes.concat(new Bytes().ascii("RF64").u32(0xffffffffL).ascii("WAVE").toArray(), new byte[40]),
                UNSUPPORTED_FORMAT, 0, "RF64");
        assertRefused(new Bytes().ascii("FORM").u32(4).ascii("AIFF").toArray(), MALFORMED_HEADER, 0, "not a RIFF");
        assertRefused(new Bytes().ascii("RIFF").u32(4).ascii("AVI ").toArray(), MALFORMED_HEADER, 8, "AVI ");
        assertRefused(new Bytes().u8(0x89).ascii("PNG").u32(0).u32(0).toArray(), MALFORMED_HEADER, 0, "\\x89PNG");
    }

    @Test
    void malformedFmt() {
        byte[] d = data(0, new byte[0]);
        assertRefused(riff(chunk("fmt ", Arrays.copyOf(fmt(1, 1, 16000, 16), 14)), d), MALFORMED_HEADER, 16,
                "shorter than 16");
        assertRefused(riff(d), MALFORMED_HEADER, 12, "data chunk before the fmt chunk");
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("fmt ", fmt(1, 1, 16000, 16)), d),
                MALFORMED_HEADER, 36, "second fmt");
        assertRefused(riff(chunk("fmt ", fmt(1, 0, 16000, 16)), d), MALFORMED_HEADER, 22, "0 channels");
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 0, 16)), d), MALFORMED_HEADER, 24, "sample rate 0");
        byte[] badAlign = fmt(1, 2, 16000, 16);
        badAlign[12] = 2;
        assertRefused(riff(chunk("fmt ", badAlign), d), MALFORMED_HEADER, 32, "block align 2 is not 2 channels x 2");
        assertRefused(riff(chunk("fmt ", fmt18(0xfffe, 1, 16000, 16)), d), MALFORMED_HEADER, 16, "shorter than 40");
        byte[] cb = fmtExtensible(1, 16000, 16, 16, 1, GUID_TAIL);
        cb[16] = 0;
        assertRefused(riff(chunk("fmt ", cb)), MALFORMED_HEADER, 36, "extension of 0 bytes");
        assertRefused(riff(chunk("fmt ", fmtExtensible(1, 16000, 16, 20, 1, GUID_TAIL)), d), MALFORMED_HEADER, 38,
                "20 valid bits in a 16-bit container");
    }

    @Test
    void unsupportedSampleFormats() {
        byte[] d = data(0, new byte[0]);
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 16000, 8)), d), UNSUPPORTED_FORMAT, 34, "8-bit PCM");
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 16000, 24)), d), UNSUPPORTED_FORMAT, 34, "24-bit PCM");
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 16000, 32)), d), UNSUPPORTED_FORMAT, 34, "32-bit PCM");
        assertRefused(riff(chunk("fmt ", fmt(3, 1, 16000, 64)), d), UNSUPPORTED_FORMAT, 34, "64-bit float");
        assertRefused(riff(chunk("fmt ", fmt18(2, 1, 16000, 4)), d), UNSUPPORTED_FORMAT, 20, "format tag 0x0002");
        assertRefused(riff(chunk("fmt ", fmt(6, 1, 8000, 8)), d), UNSUPPORTED_FORMAT, 20, "format tag 0x0006");
        assertRefused(riff(chunk("fmt ", fmtExtensible(1, 16000, 24, 24, 1, GUID_TAIL)), d), UNSUPPORTED_FORMAT, 34,
                "24-bit PCM");
        assertRefused(riff(chunk("fmt ", fmtExtensible(1, 16000, 16, 16, 2, GUID_TAIL)), d), UNSUPPORTED_FORMAT, 44,
                "sub-format 02000000000010008000");
        byte[] ambisonic = Bytes.hex("000021" + "07d3118644c8c1ca000000");
        assertRefused(riff(chunk("fmt ", fmtExtensible(4, 16000, 16, 16, 1, ambisonic)), d), UNSUPPORTED_FORMAT, 44,
                "neither PCM nor IEEE float");
        assertRefused(riff(chunk("fmt ", fmt(1, 1, 2_000_000, 16)), d), UNSUPPORTED_FORMAT, 24,
                "sample rate 2000000");
    }

    /** Allocation-driving fields beyond their bounds are refused before anything is allocated or skipped. */
    @Test
    void boundsAreRefusedNotAllocated() {
        byte[] d = data(0, new byte[0]);
        long before = Allocation.bytes();
        long start = System.nanoTime();
        assertRefused(riff(chunk("fmt ", fmt(1, 65535, 16000, 16)), d), LIMIT_EXCEEDED, 22, "65535 channels");
        assertRefused(riff(chunk("fmt ", fmt(1, 65, 16000, 16)), d), LIMIT_EXCEEDED, 22, "limit of 64");
        byte[] hugeFmt = new Bytes().ascii("RIFF").u32(0xffffffffL).ascii("WAVE").ascii("fmt ").u32(0xfffffff0L)
                .toArray();
        assertRefused(hugeFmt, LIMIT_EXCEEDED, 16, "fmt chunk of 4294967280 bytes");
        assertRefused(riff(chunk("fmt ", new byte[1026])), LIMIT_EXCEEDED, 16, "limit of 1024");
        byte[] hugeList = new Bytes().ascii("RIFF").u32(0xffffffffL).ascii("WAVE").ascii("LIST").u32(0xffffffffL)
                .toArray();
        assertRefused(hugeList, LIMIT_EXCEEDED, 12, "limit of 16777216");
        long allocated = Allocation.bytes() - before;
        assertTrue(allocated < (4 << 20), "allocated " + allocated + " bytes refusing 5 headers");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refusals must not read 4 GB");
        // 64 channels are within the bound
        byte[] pcm = new byte[128];
        assertEquals(64, assertDoesNotThrow(riff(chunk("fmt ", fmt(1, 64, 16000, 16)), data(128, pcm))));
    }

    private static int assertDoesNotThrow(byte[] wav) {
        try {
            return PcmReader.wav(new ByteArrayInputStream(wav)).channels();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- writing ----

    /** Headers sox 14.4.2 writes to a pipe (sox -n -r 16000 -c C ... -t wav - synth 0.001 sine 440). */
    @Test
    void headersForPipesAreWhatSoxWrites() {
        assertEquals("5249464624f0ff7f57415645666d74201000000001000100803e0000007d0000020010006461746100f0ff7f",
                Bytes.hex(WavHeader.encode(SampleEncoding.S16LE, 1, 16000, -1)));
        assertEquals("5249464624f0ff7f57415645666d74201000000001000200803e000000fa0000040010006461746100f0ff7f",
                Bytes.hex(WavHeader.encode(SampleEncoding.S16LE, 2, 16000, -1)));
        assertEquals("5249464644f0ff7f57415645666d742028000000feff0300803e0000007701000600100016001000000000000100"
                        + "000000001000800000aa00389b716661637404000000aa52551564617461fcefff7f",
                Bytes.hex(WavHeader.encode(SampleEncoding.S16LE, 3, 16000, -1)));
        assertEquals("5249464632f0ff7f57415645666d74201200000003000200803e000000f40100080020000000666163740400000000"
                        + "feff0f6461746100f0ff7f",
                Bytes.hex(WavHeader.encode(SampleEncoding.F32LE, 2, 16000, -1)));
        assertEquals("524946462ef0ff7f57415645666d74201200000003000300803e000000ee02000c002000000066616374040000005"
                        + "5a9aa0a64617461fcefff7f",
                Bytes.hex(WavHeader.encode(SampleEncoding.F32LE, 3, 16000, -1)));
    }

    /** Where sox is installed, compare with it for more channel counts and rates. */
    @Test
    void headersMatchTheInstalledSox() throws Exception {
        dev.pdq.blas.TestJvm.assumeHostToolsRunHere("WavTest (sox)");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sox")), "no sox");
        for (int channels : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 16}) {
            for (SampleEncoding enc : SampleEncoding.values()) {
                int rate = channels % 2 == 0 ? 8000 : 44100;
                ProcessBuilder pb = new ProcessBuilder("/usr/bin/sox", "-q", "-n", "-r", "" + rate, "-c", "" + channels,
                        "-e", enc == SampleEncoding.S16LE ? "signed-integer" : "floating-point", "-b",
                        enc == SampleEncoding.S16LE ? "16" : "32", "-t", "wav", "-", "synth", "0.001", "sine", "440");
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes();
                assertEquals(0, p.waitFor());
                byte[] ours = WavHeader.encode(enc, channels, rate, -1);
                assertEquals(Bytes.hex(Arrays.copyOf(out, ours.length)), Bytes.hex(ours), enc + " " + channels);
            }
        }
    }

    @Test
    void writerAndReaderRoundTrip() throws IOException {
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (int channels : new int[] {1, 2, 3, 8}) {
                for (int frames : new int[] {0, 1, 2, 3, 1000}) {
                    float[] v = PcmReaderWriterTest.gridValues(frames * channels, frames);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (PcmWriter w = PcmWriter.wav(out, enc, channels, 22050)) {
                        w.write(v, 0, v.length);
                    }
                    byte[] wav = out.toByteArray();
                    PcmReader r = PcmReader.wav(new ByteArrayInputStream(wav));
                    assertEquals(channels, r.channels());
                    assertEquals(22050, r.sampleRate());
                    assertEquals(enc, r.encoding());
                    Drain.Result d = Drain.readAll(r, 100 * channels);
                    assertNull(d.fault());
                    assertArrayEquals(v, d.values(), enc + " " + channels + " " + frames);
                }
            }
        }
    }

    @Test
    void headerOfAKnownLength() {
        byte[] h = WavHeader.encode(SampleEncoding.S16LE, 1, 16000, 10);
        assertEquals(44, h.length);
        assertEquals(36 + 20, WavHeader.u32(h, 4));
        assertEquals(20, WavHeader.u32(h, 40));
        byte[] f = WavHeader.encode(SampleEncoding.F32LE, 2, 16000, 3);
        assertEquals(24, WavHeader.u32(f, 54)); // data
        assertEquals(3, WavHeader.u32(f, 46)); // fact
        assertEquals(50 + 24, WavHeader.u32(f, 4));
        byte[] big = WavHeader.encode(SampleEncoding.F32LE, 64, 16000, 1L << 30);
        assertEquals(0xffffffffL, WavHeader.u32(big, 54));
        assertEquals(0xffffffffL, WavHeader.u32(big, 4));
        assertThrows(IllegalArgumentException.class, () -> WavHeader.encode(SampleEncoding.S16LE, 0, 16000, 0));
        assertThrows(IllegalArgumentException.class, () -> WavHeader.encode(SampleEncoding.S16LE, 1, 0, 0));
    }

    @Test
    void patchSizesOfAWrittenFile() throws IOException {
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (int channels : new int[] {1, 3}) {
                Path file = dir.resolve("out-" + enc + channels + ".wav");
                float[] v = PcmReaderWriterTest.gridValues(7 * channels, 5);
                try (PcmWriter w = PcmWriter.wav(new FileOutputStream(file.toFile()), enc, channels, 16000)) {
                    w.write(v, 0, v.length);
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    assertTrue(WavHeader.patchSizes(ch));
                }
                byte[] b = Files.readAllBytes(file);
                byte[] expected = WavHeader.encode(enc, channels, 16000, 7);
                assertArrayEquals(expected, Arrays.copyOf(b, expected.length));
                assertEquals(b.length - 8, WavHeader.u32(b, 4));
                assertEquals(b.length - expected.length, WavHeader.u32(b, expected.length - 4));
                assertArrayEquals(v, read(b).values());
            }
        }
    }

    @Test
    void patchSizesLeavesOtherFilesAlone() throws IOException {
        byte[] other = riff(chunk("LIST", new byte[4]), chunk("fmt ", fmt(1, 1, 16000, 16)), data(4, new byte[4]));
        byte[][] files = {other, new byte[10], new byte[0]};
        for (byte[] content : files) {
            Path file = dir.resolve("other.wav");
            Files.write(file, content);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertFalse(WavHeader.patchSizes(ch));
            }
            assertArrayEquals(content, Files.readAllBytes(file));
        }
        // a canonical WAV has this layout: patching rewrites the sizes it already has
        Path file = dir.resolve("canonical.wav");
        Files.write(file, canonical(SAMPLES));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(WavHeader.patchSizes(ch));
        }
        assertArrayEquals(canonical(SAMPLES), Files.readAllBytes(file));
    }

    // ---- interoperability with sox, where installed ----

    private static byte[] sox(byte[] stdin, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/sox";
        cmd[1] = "-qD"; // quiet, and no dither: sox dithers randomly when it reduces the bit depth
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
        return out;
    }

    @Test
    void soxReadsOurWavsAndWeReadSoxs() throws Exception {
        dev.pdq.blas.TestJvm.assumeHostToolsRunHere("WavTest (sox)");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sox")), "no sox");
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (int channels : new int[] {1, 2, 3}) {
                // ours, with the pipe header (sizes never patched), read back by sox as raw s16
                float[] v = PcmReaderWriterTest.gridValues(500 * channels, channels);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (PcmWriter w = PcmWriter.wav(out, enc, channels, 16000)) {
                    w.write(v, 0, v.length);
                }
                byte[] raw = sox(out.toByteArray(), "-t", "wav", "-", "-t", "s16", "-");
                assertArrayEquals(PcmReaderWriterTest.encodeUnchecked(SampleEncoding.S16LE, channels, v), raw,
                        "sox reading our " + enc + " WAV of " + channels + " channels");

                // sox's WAV written to a pipe, read by us, against sox's raw output of the same synthesis
                String[] synth = {"-n", "-r", "16000", "-c", "" + channels, "-e",
                        enc == SampleEncoding.S16LE ? "signed-integer" : "floating-point", "-b",
                        enc == SampleEncoding.S16LE ? "16" : "32"};
                byte[] soxWav = sox(new byte[0], concat(synth, "-t", "wav", "-", "synth", "0.05", "sine", "440"));
                byte[] soxRaw = sox(new byte[0], concat(synth, "-t", enc == SampleEncoding.S16LE ? "s16" : "f32", "-",
                        "synth", "0.05", "sine", "440"));
                Drain.Result d = read(soxWav);
                assertNull(d.fault());
                float[] expected = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(soxRaw), enc, channels, 0), 64)
                        .values();
                assertEquals(800 * channels, expected.length);
                assertArrayEquals(expected, d.values(), "our reading of sox's " + enc + " WAV, " + channels);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
