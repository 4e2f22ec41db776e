package dev.pdq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pdq.adpcm.ImaWavWriter;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.SampleReader;
import dev.pdq.codes.CodeStreamWriter;
import dev.pdq.testing.Bytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded stand-in for the fuzzing of issue 8: random bytes and mutations of valid streams, through every input
 * format. Only AudioFormatException may come out, reads keep their contract, and raw samples come out in order,
 * once, exactly as the bytes say.
 */
class RandomInputTest {

    static final int ITERATIONS = 20000;
    static final long[] INTERESTING = {0, 1, 2, 3, 16, 18, 40, 64, 65, 255, 320, 4096, 4097, 65535, 0x7fff0000L,
            0x7ffff000L, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL};

    static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Random rnd = new Random(1);
        float[] v = new float[96];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (int channels : new int[] {1, 3}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (PcmWriter w = PcmWriter.wav(out, enc, channels, 16000)) {
                    w.write(v, 0, v.length);
                }
                seeds.add(out.toByteArray());
            }
        }
        for (int bits : new int[] {1, 4, 13, 16}) {
            for (int channels : new int[] {1, 2}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (CodeStreamWriter w = new CodeStreamWriter(out, bits, channels, 16000, 8)) {
                    w.write(v, 0, 40);
                    w.flush();
                    w.write(v, 40, 56);
                }
                seeds.add(out.toByteArray());
            }
        }
        for (int channels : new int[] {1, 3}) { // IMA ADPCM, blocks of 65 samples
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImaWavWriter w = ImaWavWriter.open(out, channels, 16000, 36 * channels)) {
                w.write(v, 0, v.length / channels * channels);
            }
            seeds.add(out.toByteArray());
        }
        byte[] list = new Bytes().ascii("LIST").u32(5).ascii("INFOx").u8(0).toArray();
        byte[] ext = new Bytes().u16(0xfffe).u16(2).u32(16000).u32(64000).u16(4).u16(16).u16(22).u16(16).u32(3)
                .u32(1).bytes(Bytes.hex("000010008000" + "00aa00389b71")).toArray();
        seeds.add(new Bytes().ascii("RIFF").u32(0).ascii("WAVE").bytes(list).ascii("fmt ").u32(40).bytes(ext)
                .ascii("data").u32(0xffffffffL).bytes(new byte[33]).toArray());
        return seeds;
    }

    static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        int mutations = 1 + rnd.nextInt(6);
        for (int m = 0; m < mutations; m++) {
            int pos = b.length == 0 ? 0 : rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 7: // a canonical WAV's channel count with a consistent block align: reaches the bounds
                    if (b.length >= 36 && b[0] == 'R' && b[12] == 'f') {
                        int channels = (int) INTERESTING[rnd.nextInt(INTERESTING.length)] & 0xffff;
                        int align = channels * ((b[34] & 0xff) / 8);
                        b[22] = (byte) channels;
                        b[23] = (byte) (channels >>> 8);
                        b[32] = (byte) align;
                        b[33] = (byte) (align >>> 8);
                    }
                    break;
                case 0: // flip a bit
                    if (b.length > 0) {
                        b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    break;
                case 1: // random byte
                    if (b.length > 0) {
                        b[pos] = (byte) rnd.nextInt(256);
                    }
                    break;
                case 2: // an interesting 16- or 32-bit value, mostly in the header
                    pos = rnd.nextInt(Math.min(b.length, 60) + 1);
                    long value = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    int width = rnd.nextBoolean() ? 2 : 4;
                    for (int i = 0; i < width && pos + i < b.length; i++) {
                        b[pos + i] = (byte) (value >>> (8 * i));
                    }
                    break;
                case 3: // truncate
                    b = Arrays.copyOf(b, pos);
                    break;
                case 4: // insert random bytes
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    b = Bytes.concat(Arrays.copyOf(b, pos), ins, Arrays.copyOfRange(b, pos, b.length));
                    break;
                case 5: // delete a range
                    int end = Math.min(b.length, pos + 1 + rnd.nextInt(16));
                    b = Bytes.concat(Arrays.copyOf(b, pos), Arrays.copyOfRange(b, end, b.length));
                    break;
                default: // duplicate a range
                    int to = Math.min(b.length, pos + 1 + rnd.nextInt(24));
                    b = Bytes.concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, pos, b.length));
                    break;
            }
        }
        return b;
    }

    @Test
    void onlyDocumentedFaultsComeOut() throws IOException {
        List<byte[]> seeds = seeds();
        Map<AudioFormatException.Kind, Integer> kinds = new EnumMap<>(AudioFormatException.Kind.class);
        int clean = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            Random rnd = new Random(1000L + it);
            byte[] input;
            if (rnd.nextInt(4) == 0) {
                input = new byte[rnd.nextInt(300)];
                rnd.nextBytes(input);
            } else {
                input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            }
            for (InputFormat format : InputFormat.values()) {
                int channels = 1 + rnd.nextInt(3);
                try {
                    AudioFormatException.Kind k = run(input, format, channels, rnd);
                    if (k == null) {
                        clean++;
                    } else {
                        kinds.merge(k, 1, Integer::sum);
                    }
                } catch (Throwable t) {
                    fail("iteration " + it + ", format " + format + ", " + channels + " raw channels, input "
                            + Bytes.hex(input), t);
                }
            }
        }
        // the mutations reach every kind but the non-finite one (rare in random bytes) and must reach the clean end
        for (AudioFormatException.Kind k : AudioFormatException.Kind.values()) {
            assertTrue(kinds.containsKey(k) || k == AudioFormatException.Kind.NON_FINITE_SAMPLE,
                    "no input produced " + k + ": " + kinds);
        }
        assertTrue(clean > 0, "no input was read to a clean end");
    }

    /** Reads to the end; returns the fault's kind or null. Anything but an AudioFormatException escapes. */
    static AudioFormatException.Kind run(byte[] input, InputFormat format, int rawChannels, Random rnd)
            throws IOException {
        float[] dst = new float[600];
        List<float[]> chunks = new ArrayList<>();
        int total = 0;
        SampleReader r = null;
        try {
            r = AudioStreams.openInput(new ByteArrayInputStream(input), format, rawChannels, 16000);
            while (true) {
                int len = r.channels() + rnd.nextInt(500);
                int got = r.read(dst, 0, len);
                if (got < 0) {
                    break;
                }
                assertTrue(got > 0 && got <= len && got % r.channels() == 0, "read returned " + got);
                chunks.add(Arrays.copyOf(dst, got));
                total += got;
                assertEquals(total / r.channels(), r.framesDelivered());
            }
            checkRawSamples(input, format, rawChannels, chunks, null);
            return null;
        } catch (AudioFormatException e) {
            assertNotNull(e.kind());
            assertTrue(e.offset() >= -1 && e.offset() <= input.length, "offset " + e.offset());
            if (e.offset() >= 0) {
                assertTrue(e.getMessage().contains("at byte offset " + e.offset()), e.getMessage());
            }
            checkRawSamples(input, format, rawChannels, chunks, e);
            return e.kind();
        }
    }

    /** Raw input: what came out is exactly the decoded bytes, in order, up to the fault. */
    static void checkRawSamples(byte[] input, InputFormat format, int channels, List<float[]> chunks,
                                AudioFormatException fault) {
        if (format != InputFormat.S16LE && format != InputFormat.F32LE) {
            return;
        }
        int bytes = format == InputFormat.S16LE ? 2 : 4;
        int frameBytes = bytes * channels;
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        for (float[] chunk : chunks) {
            for (float v : chunk) {
                float expected = bytes == 2 ? b.getShort(i * 2) / 32768f : b.getFloat(i * 4);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(v), "sample " + i);
                i++;
            }
        }
        if (fault == null) {
            assertEquals(input.length / bytes, i, "every sample of a clean raw stream");
            assertEquals(0, input.length % frameBytes);
        } else if (fault.kind() == AudioFormatException.Kind.ODD_LENGTH) {
            assertEquals(input.length / frameBytes * channels, i, "every whole frame before the partial one");
        }
    }
}
