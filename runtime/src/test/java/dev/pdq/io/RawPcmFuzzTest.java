package dev.pdq.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleReader;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fuzz target of the raw s16le and f32le readers at any length (Jazzer, docs/HARDENING.md; seeds and past findings
 * in src/test/resources/dev/pdq/io/RawPcmFuzzTestInputs/raw/). Input: byte 0 picks the encoding (bit 7: f32le) and
 * the channels (1 + low 6 bits), byte 1 shapes the stream (bytes per pipe read, values asked per call), the rest is
 * the data, opened through {@link AudioStreams#openInput} as {@code pdq} opens it.
 *
 * <p>Failure: an exception other than {@link AudioFormatException}; a hang; allocation beyond a fixed bound;
 * samples that differ from an independent decode of the bytes (lost, repeated, reordered or altered); a fault
 * other than the one the bytes call for (an incomplete last sample frame, a non-finite float), or at another
 * offset.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class RawPcmFuzzTest {

    /** The reader's one 8 KiB buffer and slack. */
    static final long ALLOCATION_BOUND = 8 * 1024 + Fuzzing.ALLOCATION_SLACK;

    private record Decoded(SampleReader reader, int count, AudioFormatException fault) {
    }

    private static Decoded decode(byte[] input, float[] got) throws IOException {
        int channels = 1 + (input[0] & 63);
        int shape = input[1] & 0xff;
        SampleReader reader = AudioStreams.openInput(Fuzzing.trickle(input, 2, 1 + 16 * shape),
                (input[0] & 0x80) != 0 ? InputFormat.F32LE : InputFormat.S16LE, channels, 16000);
        int len = channels * (1 + shape % 11);
        int count = 0;
        try {
            int n;
            while ((n = reader.read(got, count, Math.min(len, got.length - count))) > 0) {
                assertEquals(0, n % channels, "a read split a sample frame");
                count += n;
            }
        } catch (AudioFormatException e) {
            return new Decoded(reader, count, e);
        }
        return new Decoded(reader, count, null);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void raw(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        boolean f32 = (input[0] & 0x80) != 0;
        int channels = 1 + (input[0] & 63);
        int bytes = f32 ? 4 : 2;
        int frameBytes = channels * bytes;
        int dataLength = input.length - 2;

        // the independent decode: whole sample frames up to the first non-finite float
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int frames = dataLength / frameBytes;
        float[] expected = new float[frames * channels];
        AudioFormatException.Kind faultKind = dataLength % frameBytes != 0 ? AudioFormatException.Kind.ODD_LENGTH : null;
        long faultOffset = (long) frames * frameBytes;
        for (int i = 0; i < expected.length; i++) {
            expected[i] = f32 ? b.getFloat(2 + 4 * i) : b.getShort(2 + 2 * i) / 32768f;
            if (!Float.isFinite(expected[i])) {
                faultKind = AudioFormatException.Kind.NON_FINITE_SAMPLE;
                faultOffset = 4L * i;
                expected = java.util.Arrays.copyOf(expected, i / channels * channels);
                break;
            }
        }

        float[] got = new float[dataLength / 2 + 64];
        decode(input, got); // once to load and initialize every class on the way, then measured
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        Decoded d = decode(input, got);
        guard.assertAtMost(ALLOCATION_BOUND, "reading " + dataLength + " raw bytes");
        SampleReader reader = d.reader;
        AudioFormatException fault = d.fault;
        int count = d.count;

        assertEquals(expected.length, count, "samples delivered");
        for (int i = 0; i < count; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                    () -> "sample " + at + " is not the one at its place in the data");
        }
        assertEquals(count / channels, reader.framesDelivered());
        if (faultKind == null) {
            assertNull(fault, "a fault where the data is clean");
            assertEquals(-1, reader.read(got, 0, channels));
        } else {
            assertNotNull(fault, "no " + faultKind + " reported");
            assertEquals(faultKind, fault.kind(), fault::getMessage);
            assertEquals(faultOffset, fault.offset(), fault::getMessage);
            AudioFormatException first = fault;
            assertSame(first, assertThrows(AudioFormatException.class, () -> reader.read(got, 0, channels)));
        }
    }
}
