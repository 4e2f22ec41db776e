package dev.pdq.audio;

import static dev.pdq.testing.ScriptedInputStream.After.BLOCK;
import static dev.pdq.testing.ScriptedInputStream.After.END;
import static dev.pdq.testing.ScriptedInputStream.After.FAIL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.testing.Bytes;
import dev.pdq.testing.Drain;
import dev.pdq.testing.ScriptedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PcmReaderWriterTest {

    /** Values on the s16 grid (so that both encodings round-trip them exactly), seeded. */
    static float[] gridValues(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextInt(65536) - 32768) / 32768f;
        }
        return v;
    }

    static byte[] encode(SampleEncoding enc, int channels, float[] values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcmWriter w = PcmWriter.raw(out, enc, channels)) {
            w.write(values, 0, values.length);
            assertEquals(values.length / channels, w.framesWritten());
        }
        return out.toByteArray();
    }

    @Test
    void everyS16ValueRoundTripsExactly() throws IOException {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        byte[] bytes = Bytes.s16le(all);
        Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.S16LE, 1, 0), 999);
        assertNull(r.fault());
        for (int i = 0; i < all.length; i++) {
            assertEquals(all[i] / 32768f, r.values()[i], 0f);
        }
        assertArrayEquals(bytes, encode(SampleEncoding.S16LE, 1, r.values()));
    }

    @Test
    void f32RoundTripsBitForBit() throws IOException {
        Random rnd = new Random(7);
        float[] v = new float[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * (i % 2 == 0 ? 1e-3f : 3f);
        }
        v[0] = -0f;
        v[1] = Float.MIN_VALUE;
        v[2] = Float.MAX_VALUE;
        byte[] bytes = encode(SampleEncoding.F32LE, 3, v);
        assertEquals(4 * v.length, bytes.length);
        Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.F32LE, 3, 0), 301);
        assertNull(r.fault());
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(r.values()[i]), "value " + i);
        }
    }

    @Test
    void s16EncodingRoundsTiesToEvenAndClamps() throws IOException {
        float lsb = 1 / 32768f;
        float[] v = {1f, -1f, 2f, -2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                0.5f * lsb, 1.5f * lsb, -0.5f * lsb, -1.5f * lsb, 0.49f * lsb, 32766.5f * lsb, -32767.5f * lsb, -0f};
        short[] expected = {32767, -32768, 32767, -32768, 0, 32767, -32768, 0, 2, 0, -2, 0, 32766, -32768, 0};
        assertArrayEquals(Bytes.s16le(expected), encode(SampleEncoding.S16LE, 1, v));
    }

    /** Every length from 0 to a few buffers, every channel count used here, several read sizes. */
    @ParameterizedTest
    @EnumSource(SampleEncoding.class)
    void exactLengths(SampleEncoding enc) throws IOException {
        for (int channels : new int[] {1, 2, 3, 64}) {
            int maxFrames = channels == 64 ? 140 : 3000;
            int[] lengths = channels == 64 ? new int[] {0, 1, 2, 31, 32, 33, 139}
                    : new int[] {0, 1, 2, 3, 4, 5, 319, 320, 321, 1365, 1366, 1367, 2731, 2999};
            float[] all = gridValues(maxFrames * channels, channels);
            for (int frames : lengths) {
                float[] v = Arrays.copyOf(all, frames * channels);
                byte[] bytes = encode(enc, channels, v);
                assertEquals(frames * channels * enc.bytes(), bytes.length);
                for (int len : new int[] {channels, 320 * channels, 4096 * channels}) {
                    Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), enc, channels, 0),
                            len);
                    assertNull(r.fault());
                    assertArrayEquals(v, r.values(), enc + " " + channels + " channels, " + frames + " frames");
                }
            }
        }
    }

    @Test
    void oddS16LengthFaultsAfterTheWholeSamplesWithItsOffset() {
        for (int samples = 0; samples < 700; samples += samples < 6 ? 1 : 233) {
            float[] v = gridValues(samples, samples);
            byte[] bytes = Arrays.copyOf(Bytes.concat(encodeUnchecked(SampleEncoding.S16LE, 1, v), new byte[] {7}),
                    2 * samples + 1);
            Drain.Result r = Drain.readAll(
                    PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.S16LE, 1, 16000), 320);
            assertArrayEquals(v, r.values(), "every whole sample before the fault");
            AudioFormatException e = assertFault(r, AudioFormatException.Kind.ODD_LENGTH, 2L * samples);
            assertTrue(e.getMessage().contains("1 byte(s)"), e.getMessage());
        }
    }

    @Test
    void f32AndMultichannelPartialFrames() {
        for (int extra = 1; extra < 4; extra++) {
            byte[] bytes = Bytes.concat(encodeUnchecked(SampleEncoding.F32LE, 1, new float[] {0.25f, -0.5f}),
                    new byte[extra]);
            Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.F32LE, 1, 0), 64);
            assertArrayEquals(new float[] {0.25f, -0.5f}, r.values());
            assertFault(r, AudioFormatException.Kind.ODD_LENGTH, 8);
        }
        // stereo s16: three whole frames then one sample of a fourth (2 of its 4 bytes)
        float[] v = gridValues(7, 3);
        byte[] bytes = encodeUnchecked(SampleEncoding.S16LE, 1, v);
        Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.S16LE, 2, 0), 64);
        assertArrayEquals(Arrays.copyOf(v, 6), r.values());
        AudioFormatException e = assertFault(r, AudioFormatException.Kind.ODD_LENGTH, 12);
        assertTrue(e.getMessage().contains("2 byte(s)") && e.getMessage().contains("4 bytes"), e.getMessage());
    }

    @Test
    void nonFiniteFloatFaultsAfterTheFramesBeforeIt() {
        float[] v = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 0.5f, Float.NaN, 0.25f, 0.25f};
        byte[] bytes = encodeUnchecked(SampleEncoding.F32LE, 1, v);
        for (int len : new int[] {2, 4, 64}) {
            Drain.Result r = Drain.readAll(PcmReader.raw(new ByteArrayInputStream(bytes), SampleEncoding.F32LE, 2, 0),
                    len);
            assertArrayEquals(Arrays.copyOf(v, 10), r.values(), "the 5 stereo frames before the NaN frame");
            AudioFormatException e = assertFault(r, AudioFormatException.Kind.NON_FINITE_SAMPLE, 44);
            assertTrue(e.getMessage().contains("channel 1 of sample frame 5"), e.getMessage());
        }
        byte[] inf = encodeUnchecked(SampleEncoding.F32LE, 1, new float[] {Float.NEGATIVE_INFINITY});
        assertFault(Drain.readAll(PcmReader.raw(new ByteArrayInputStream(inf), SampleEncoding.F32LE, 1, 0), 8),
                AudioFormatException.Kind.NON_FINITE_SAMPLE, 0);
    }

    @Test
    void deliversWhatHasArrivedWithoutWaitingForMore() throws IOException {
        // a pipe that has delivered 3 samples and then would block: read must return them
        byte[] three = Bytes.s16le(new short[] {100, -200, 300});
        PcmReader r = PcmReader.raw(new ScriptedInputStream(BLOCK, three), SampleEncoding.S16LE, 1, 0);
        float[] dst = new float[320];
        assertEquals(3, r.read(dst, 0, 320));
        assertEquals(-200 / 32768f, dst[1]);
        assertThrows(ScriptedInputStream.WouldBlock.class, () -> r.read(dst, 0, 320));
    }

    @Test
    void samplesSplitAcrossPiecesAreJoined() throws IOException {
        byte[] b = Bytes.s16le(new short[] {1, 2, 3, 4, 5, 6});
        // stereo frames of 4 bytes arriving as 1, 2, 4, 5 bytes
        ScriptedInputStream in = new ScriptedInputStream(END, Arrays.copyOfRange(b, 0, 1),
                Arrays.copyOfRange(b, 1, 3), Arrays.copyOfRange(b, 3, 7), Arrays.copyOfRange(b, 7, 12));
        PcmReader r = PcmReader.raw(in, SampleEncoding.S16LE, 2, 0);
        float[] dst = new float[100];
        assertEquals(2, r.read(dst, 0, 100)); // frame 0 complete after the third piece
        assertEquals(4, r.read(dst, 2, 98)); // frames 1 and 2 after the fourth
        assertEquals(-1, r.read(dst, 6, 94));
        for (int i = 0; i < 6; i++) {
            assertEquals((i + 1) / 32768f, dst[i]);
        }
    }

    @Test
    void streamErrorComesAfterTheSamplesBeforeIt() {
        byte[] five = Bytes.s16le(new short[] {1, 2, 3, 4, 5});
        ScriptedInputStream in = new ScriptedInputStream(FAIL, five);
        Drain.Result r = Drain.readAll(PcmReader.raw(in, SampleEncoding.S16LE, 1, 0), 320);
        assertEquals(5, r.values().length);
        assertSame(in.failure, r.fault());
    }

    @Test
    void availableCountsWholeFrames() throws IOException {
        byte[] b = Bytes.s16le(new short[] {1, 2, 3, 4, 5, 6, 7});
        PcmReader r = PcmReader.raw(new ByteArrayInputStream(b), SampleEncoding.S16LE, 2, 0);
        assertEquals(6, r.available());
        float[] dst = new float[4];
        assertEquals(4, r.read(dst, 0, 4));
        assertEquals(2, r.available());
    }

    @Test
    void describesItself() {
        PcmReader r = PcmReader.raw(new ByteArrayInputStream(new byte[0]), SampleEncoding.F32LE, 2, 16000);
        assertEquals("f32le, 2 channels, 16000 Hz", r.description());
        assertEquals(2, r.channels());
        assertEquals(16000, r.sampleRate());
        assertEquals(0, r.bits());
    }

    @Test
    void invalidArguments() {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> PcmReader.raw(in, SampleEncoding.S16LE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PcmReader.raw(in, SampleEncoding.S16LE, 65, 0));
        PcmReader r = PcmReader.raw(in, SampleEncoding.S16LE, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> r.read(new float[8], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> r.read(new float[8], 6, 3));
        PcmWriter w = PcmWriter.raw(new ByteArrayOutputStream(), SampleEncoding.S16LE, 2);
        assertThrows(IllegalArgumentException.class, () -> w.write(new float[3], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PcmWriter.raw(new ByteArrayOutputStream(),
                SampleEncoding.S16LE, 0));
    }

    @Test
    void writerBuffersUntilFlush() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcmWriter w = PcmWriter.raw(out, SampleEncoding.S16LE, 1);
        w.write(new float[] {0.5f, -0.5f}, 0, 2);
        assertEquals(0, out.size());
        w.flush();
        assertArrayEquals(Bytes.s16le(new short[] {16384, -16384}), out.toByteArray());
        float[] many = gridValues(10000, 1); // more than the buffer: drained as it fills
        w.write(many, 0, many.length);
        w.finish();
        assertEquals(2 * 10002, out.size());
    }

    static AudioFormatException assertFault(Drain.Result r, AudioFormatException.Kind kind, long offset) {
        assertTrue(r.fault() instanceof AudioFormatException, "fault: " + r.fault());
        AudioFormatException e = (AudioFormatException) r.fault();
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        return e;
    }

    static byte[] encodeUnchecked(SampleEncoding enc, int channels, float[] v) {
        try {
            return encode(enc, channels, v);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
