package dev.pdq.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the WAV reader (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/audio/WavFuzzTestInputs/wav/). Input: one byte that shapes the stream (how many bytes
 * each read of the pipe returns, how many values the caller asks for), then the WAV file.
 *
 * <p>Failure: an exception other than {@link AudioFormatException}; a hang; more allocation than
 * {@link #ALLOCATION_BOUND} plus 4 bytes per input byte; samples that differ from an independent decode of the
 * bytes the header points at (a sample lost, repeated, reordered or altered), a fault other than the one those
 * bytes call for, or at another offset.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class WavFuzzTest {

    /** The reader's fixed buffers (8 KiB samples, 4 KiB skip scratch) and slack; no header field may add to it. */
    static final long ALLOCATION_BOUND = 12 * 1024 + Fuzzing.ALLOCATION_SLACK;

    /**
     * The first finding, at a size where it shows whatever the slack: 20000 empty chunks before the fmt chunk made
     * the reader format 80000 chunk-id bytes (about 26 MB of garbage); now it allocates no more than the header's
     * own size a few times over.
     */
    @Test
    void manySmallChunksCostNoMoreThanTheirBytes() throws IOException {
        int chunks = 20_000;
        byte[] plain = WavHeader.encode(SampleEncoding.S16LE, 1, 16000, 4);
        java.io.ByteArrayOutputStream wav = new java.io.ByteArrayOutputStream();
        wav.write(plain, 0, 12);
        wav.write(new byte[8 * chunks]); // chunks with id 00 00 00 00 and size 0
        wav.write(plain, 12, plain.length - 12);
        wav.write(new byte[8]);
        byte[] bytes = wav.toByteArray();
        WavHeader.read(new ByteArrayInputStream(bytes)); // warm
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        WavHeader h = WavHeader.read(new ByteArrayInputStream(bytes));
        guard.assertAtMost(64 * 1024 + 4L * bytes.length, "a header of " + chunks + " empty chunks");
        assertEquals(bytes.length - 8, h.dataOffset());
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void wav(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        byte[] file = java.util.Arrays.copyOfRange(input, 1, input.length);
        Expected expected = Expected.of(file);
        float[] got = new float[file.length / 2 + 64];

        // once to load and initialize every class on the way, then measured
        Fuzzing.decode(input, 13, got, PcmReader::wav);
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        Fuzzing.Decoded<PcmReader> d = Fuzzing.decode(input, 13, got, PcmReader::wav);
        guard.assertAtMost(ALLOCATION_BOUND + 4L * input.length, "reading a WAV of " + file.length + " bytes");
        PcmReader reader = d.reader();
        AudioFormatException fault = d.fault();
        int count = d.count();

        if (expected.headerFault != null) {
            assertNotNull(fault, "the header was accepted here but not by WavHeader.read");
            assertEquals(expected.headerFault.getMessage(), fault.getMessage());
            return;
        }
        assertNotNull(reader, () -> "the header was refused: " + expected.headerFault);
        assertEquals(expected.values.length, count, "samples delivered");
        for (int i = 0; i < count; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected.values[i]), Float.floatToRawIntBits(got[i]),
                    () -> "sample " + at + " is not the one at its place in the data");
        }
        assertEquals(count / reader.channels(), reader.framesDelivered());
        if (expected.faultKind == null) {
            assertEquals(null, fault, "a fault where the data is clean");
            assertEquals(-1, reader.read(got, 0, reader.channels()), "the end is sticky");
        } else {
            assertNotNull(fault, () -> "no " + expected.faultKind + " reported");
            assertEquals(expected.faultKind, fault.kind(), fault::getMessage);
            assertEquals(expected.faultOffset, fault.offset(), fault::getMessage);
            PcmReader r = reader;
            AudioFormatException first = fault;
            assertSame(first, assertThrows(AudioFormatException.class, () -> r.read(got, 0, r.channels())),
                    "faults are sticky");
        }
    }

    /**
     * What the bytes call for, decoded here without PcmReader: the header (WavHeader.read, which this target fuzzes
     * through PcmReader.wav as well), then the samples straight from the bytes it points at.
     */
    record Expected(AudioFormatException headerFault, float[] values, AudioFormatException.Kind faultKind,
                    long faultOffset) {

        static Expected of(byte[] file) throws IOException {
            WavHeader h;
            try {
                h = WavHeader.read(new ByteArrayInputStream(file));
            } catch (AudioFormatException e) {
                return new Expected(e, null, null, -1);
            }
            assertTrue(h.channels() >= 1 && h.channels() <= PcmReader.MAX_CHANNELS, h::toString);
            assertTrue(h.sampleRate() >= 1 && h.sampleRate() <= WavHeader.MAX_SAMPLE_RATE, h::toString);
            assertTrue(h.dataOffset() <= file.length && h.dataOffset() <= WavHeader.MAX_HEADER_BYTES, h::toString);
            long end = h.dataBytes() < 0 ? file.length : Math.min(file.length, h.dataOffset() + h.dataBytes());
            int bytes = h.encoding().bytes();
            int frameBytes = h.channels() * bytes;
            long frames = (end - h.dataOffset()) / frameBytes;
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[(int) (frames * h.channels())];
            for (int i = 0; i < v.length; i++) {
                int at = (int) h.dataOffset() + i * bytes;
                if (h.encoding() == SampleEncoding.S16LE) {
                    v[i] = b.getShort(at) / 32768f;
                } else {
                    v[i] = b.getFloat(at);
                    if (!Float.isFinite(v[i])) {
                        int whole = i / h.channels() * h.channels();
                        return new Expected(null, java.util.Arrays.copyOf(v, whole),
                                AudioFormatException.Kind.NON_FINITE_SAMPLE, at);
                    }
                }
            }
            long rest = end - h.dataOffset() - frames * frameBytes;
            return rest == 0 ? new Expected(null, v, null, -1)
                    : new Expected(null, v, AudioFormatException.Kind.ODD_LENGTH, h.dataOffset() + frames * frameBytes);
        }
    }
}
