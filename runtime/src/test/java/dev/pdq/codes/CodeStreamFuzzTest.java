package dev.pdq.codes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.quant.Scheme;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets of the code-stream decoder, versions 1 and 2 (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/codes/CodeStreamFuzzTestInputs/METHOD/). Input: one byte that shapes the stream (bytes
 * per pipe read, values asked per call), then the code stream, read once through read() and once through
 * readCells(). {@link #codes} takes the bytes as they are;
 * {@link #codesWithValidCrcs} first rewrites every CRC the stream's structure has (header, blocks, end marker), so
 * that the fuzzer gets past the checksums to the frame counts, padding bits and end marker.
 *
 * <p>Failure: an exception other than {@link AudioFormatException}; a hang; more allocation than the documented
 * bound (runtime/CODESTREAM.md and CODESTREAM-2.md: F*C ints and floats, for BFP F*C half widths and F/N*C
 * exponents, and the packed bytes, fixed by the header); values or cells that differ from the independent decode
 * below (a block lost, repeated, reordered or altered); a header accepted or refused against the specification; a
 * stream that ends cleanly where it should fail or the reverse.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class CodeStreamFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void codes(byte[] input) throws IOException {
        check(input);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void codesWithValidCrcs(byte[] input) throws IOException {
        byte[] fixed = input.clone();
        Reference.decode(fixed, 1, true);
        check(fixed);
    }

    private static void check(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        Reference expected = Reference.decode(input, 1, false);
        float[] got = new float[Math.max(0, 8 * (input.length - 1)) + 64];

        // once to load and initialize every class on the way, then measured
        Fuzzing.decode(input, 17, got, CodeStreamReader::open);
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        Fuzzing.Decoded<CodeStreamReader> d = Fuzzing.decode(input, 17, got, CodeStreamReader::open);
        CodeStreamReader reader = d.reader();
        AudioFormatException fault = d.fault();
        int count = d.count();
        long values = (long) expected.blockFrames * expected.channels;
        long exponents = expected.gain == 0 ? 0 : (long) expected.blockFrames / expected.gain * expected.channels;
        long documented = !expected.headerValid ? 0 : values * (4 + 4 + 2)
                + (expected.scheme == 1 ? values * 4 + exponents * (4 + 1) : 0);
        guard.assertAtMost(Fuzzing.ALLOCATION_SLACK + documented, "decoding " + (input.length - 1) + " bytes");

        if (!expected.headerValid) {
            assertNull(reader, "a header against the specification was accepted");
            assertNotNull(fault);
            return;
        }
        assertNotNull(reader, () -> "a valid header was refused: " + expected);
        assertEquals(expected.bits, reader.bits());
        assertEquals(expected.channels, reader.channels());
        assertEquals(expected.rate, reader.sampleRate());
        assertEquals(expected.scheme == 1 ? Scheme.BFP : Scheme.UNIFORM, reader.scheme());
        assertEquals(expected.values.length, count, () -> "values delivered; expected " + expected);
        for (int i = 0; i < count; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected.values[i]), Float.floatToRawIntBits(got[i]),
                    () -> "value " + at + " is not the one at its place in the stream");
        }
        assertEquals(count / reader.channels(), reader.framesDelivered());
        if (expected.clean) {
            assertNull(fault, "a fault in a valid stream");
            assertEquals(-1, reader.read(got, 0, reader.channels()));
        } else {
            assertNotNull(fault, () -> "a corrupt stream ended cleanly: " + expected);
            assertEquals(AudioFormatException.Kind.BAD_CODE_STREAM, fault.kind(), fault::getMessage);
            assertTrue(fault.offset() >= expected.faultBlockStart && fault.offset() <= input.length - 1,
                    fault::getMessage);
            CodeStreamReader r = reader;
            AudioFormatException first = fault;
            assertSame(first, assertThrows(AudioFormatException.class, () -> r.read(got, 0, r.channels())));
        }
        checkCells(input, expected, fault);
    }

    /** The same stream through readCells: the reference's values and cells, and the same fault at the same offset. */
    private static void checkCells(byte[] input, Reference expected, AudioFormatException readFault)
            throws IOException {
        int shape = input[0] & 0xff;
        CodeStreamReader r = CodeStreamReader.open(Fuzzing.trickle(input, 1, 1 + 16 * shape));
        int size = expected.values.length + 64;
        float[] x = new float[size];
        float[] below = new float[size];
        float[] above = new float[size];
        int len = r.channels() * (1 + (shape >> 4));
        int count = 0;
        AudioFormatException fault = null;
        try {
            int n;
            while ((n = r.readCells(x, below, above, count, Math.min(len, size - count))) > 0) {
                count += n;
            }
        } catch (AudioFormatException e) {
            fault = e;
        }
        assertEquals(expected.values.length, count, "values delivered through readCells");
        for (int i = 0; i < count; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected.values[i]), Float.floatToRawIntBits(x[i]),
                    () -> "readCells: value " + at);
            assertEquals(-expected.halfWidths[i], below[i], 0f, () -> "readCells: below of value " + at);
            assertEquals(expected.halfWidths[i], above[i], 0f, () -> "readCells: above of value " + at);
        }
        assertEquals(readFault == null, fault == null, "read and readCells end alike");
        if (fault != null) {
            assertEquals(readFault.offset(), fault.offset(), fault::getMessage);
            assertEquals(readFault.getMessage(), fault.getMessage());
        }
    }

    /**
     * A plain decoder written from runtime/CODESTREAM.md (version 1) and CODESTREAM-2.md (version 2), independent of
     * CodeStreamReader: the values and cells of every block up to the first fault, whether the stream ended
     * cleanly, and where the faulty block starts. With {@code repair} it writes the correct CRCs into the bytes as
     * it goes.
     */
    static final class Reference {
        boolean headerValid;
        int version;
        int scheme;
        int bits;
        int channels;
        long rate;
        int blockFrames;
        int gain;
        float[] values = new float[0];
        float[] halfWidths = new float[0];
        boolean clean;
        long faultBlockStart = -1;

        static Reference decode(byte[] b, int base, boolean repair) {
            Reference r = new Reference();
            int len = b.length - base;
            if (len < 5) {
                return r;
            }
            r.version = b[base + 4] & 0xff;
            int headerBytes = r.version == 2 ? 21 : 18;
            if (len < headerBytes) {
                return r;
            }
            if (repair) {
                putCrc(b, base + headerBytes - 4, crc(b, base, headerBytes - 4, -1));
            }
            boolean magic = b[base] == 'P' && b[base + 1] == 'D' && b[base + 2] == 'Q' && b[base + 3] == 'C';
            r.bits = b[base + 5] & 0xff;
            r.channels = u16(b, base + 6);
            r.rate = u32(b, base + 8);
            r.blockFrames = u16(b, base + 12);
            boolean fields;
            if (r.version == 2) {
                r.scheme = b[base + 14] & 0xff;
                r.gain = u16(b, base + 15);
                fields = r.scheme == 0 ? r.bits >= 1 && r.bits <= 16 && r.gain == 0
                        : r.scheme == 1 && r.bits >= 2 && r.bits <= 8 && r.gain >= 1 && r.blockFrames >= 1
                        && r.blockFrames % r.gain == 0;
            } else {
                fields = r.version == 1 && r.bits >= 1 && r.bits <= 16;
            }
            r.headerValid = magic && fields && u32(b, base + headerBytes - 4) == crc(b, base, headerBytes - 4, -1)
                    && r.channels >= 1 && r.channels <= 64 && r.rate >= 1 && r.rate <= 1_000_000
                    && r.blockFrames >= 1 && r.blockFrames <= 4096;
            if (!r.headerValid) {
                return r;
            }
            float[] out = new float[8 * len + 64];
            float[] widths = new float[8 * len + 64];
            int count = 0;
            long total = 0;
            int p = base + headerBytes;
            boolean shortGainBlock = false;
            double step = 2.0 / (1 << r.bits);
            for (long index = 0; ; index++) {
                r.faultBlockStart = p - base;
                if (b.length - p < 2) {
                    break;
                }
                int frames = u16(b, p);
                if (frames == 0) {
                    if (b.length - p < 14) {
                        break;
                    }
                    if (repair) {
                        putCrc(b, p + 10, crc(b, p, 10, index));
                    }
                    long declared = u32(b, p + 2) | u32(b, p + 6) << 32;
                    r.clean = u32(b, p + 10) == crc(b, p, 10, index) && declared == total && p + 14 == b.length;
                    break;
                }
                if (frames > r.blockFrames || shortGainBlock) {
                    break;
                }
                int n = frames * r.channels;
                int gainBlocks = r.scheme == 1 ? (frames + r.gain - 1) / r.gain : 0;
                int ne = gainBlocks * r.channels;
                int payload = (ne * 4 + n * r.bits + 7) / 8;
                if (b.length - p < 2 + payload + 4) {
                    break;
                }
                if (repair) {
                    putCrc(b, p + 2 + payload, crc(b, p, 2 + payload, index));
                }
                if (u32(b, p + 2 + payload) != crc(b, p, 2 + payload, index)) {
                    break;
                }
                // LSB-first bit unpacking, exponents then codes; the padding bits of the last byte must be zero
                long[] bitPos = {0};
                int[] exps = new int[ne];
                for (int k = 0; k < ne; k++) {
                    exps[k] = bits(b, p + 2, bitPos, 4);
                }
                int[] codes = new int[n];
                for (int k = 0; k < n; k++) {
                    codes[k] = bits(b, p + 2, bitPos, r.bits);
                }
                boolean padding = true;
                for (long q = bitPos[0]; q < 8L * payload; q++) {
                    padding &= ((b[p + 2 + (int) (q >> 3)] >> (q & 7)) & 1) == 0;
                }
                if (!padding) {
                    break;
                }
                for (int k = 0; k < n; k++) {
                    int e = r.scheme == 1 ? exps[(k / r.channels / r.gain) * r.channels + k % r.channels] : 0;
                    out[count] = (float) ((-1 + step * (codes[k] + 0.5)) / Math.pow(2, e));
                    widths[count++] = (float) (step / 2 / Math.pow(2, e));
                }
                total += frames;
                shortGainBlock = r.scheme == 1 && frames % r.gain != 0;
                p += 2 + payload + 4;
            }
            r.values = Arrays.copyOf(out, count);
            r.halfWidths = Arrays.copyOf(widths, count);
            return r;
        }

        /** The next {@code width} bits of the little-endian bit string at b[off..], from bit pos[0]; advances it. */
        private static int bits(byte[] b, int off, long[] pos, int width) {
            int v = 0;
            for (int k = 0; k < width; k++, pos[0]++) {
                v |= ((b[off + (int) (pos[0] >> 3)] >> (pos[0] & 7)) & 1) << k;
            }
            return v;
        }

        private static long crc(byte[] b, int off, int len, long index) {
            CRC32 crc = new CRC32();
            if (index >= 0) {
                crc.update(new byte[] {(byte) index, (byte) (index >> 8), (byte) (index >> 16), (byte) (index >> 24)});
            }
            crc.update(b, off, len);
            return crc.getValue();
        }

        private static void putCrc(byte[] b, int at, long crc) {
            for (int i = 0; i < 4; i++) {
                b[at + i] = (byte) (crc >>> (8 * i));
            }
        }

        private static int u16(byte[] b, int i) {
            return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
        }

        private static long u32(byte[] b, int i) {
            return u16(b, i) | (long) u16(b, i + 2) << 16;
        }

        @Override
        public String toString() {
            return "Reference[version " + version + ", header " + (headerValid ? "valid" : "invalid") + ", scheme "
                    + scheme + ", " + bits + " bits, " + channels + " ch, F = " + blockFrames + ", N = " + gain + ", "
                    + values.length + " values, " + (clean ? "clean end" : "fault in the block at " + faultBlockStart)
                    + "]";
        }
    }
}
