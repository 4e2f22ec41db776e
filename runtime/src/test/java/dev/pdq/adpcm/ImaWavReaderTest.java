package dev.pdq.adpcm;

import static dev.pdq.audio.AudioFormatException.Kind.BAD_BLOCK;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.ODD_LENGTH;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.PcmReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.WavHeader;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.quant.Scheme;
import dev.pdq.testing.ScriptedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The IMA ADPCM WAV reader: header checks, faults with their positions, the streaming contract. */
class ImaWavReaderTest {

    static final int HEADER = 60;

    /** pdq's WAV of {@code frames} frames of {@code channels} channels, sized (fact = frames). */
    static byte[] wav(int frames, int channels) throws IOException {
        int ba = ImaAdpcm.soxBlockAlign(channels);
        return ImaSignals.sized(ImaSignals.write(ImaSignals.mixed(frames, channels, 11), channels, ba), channels,
                ba, frames);
    }

    static ImaSignals.Cells read(byte[] wav) throws IOException {
        return ImaSignals.readAll(ImaWavReader.open(new ByteArrayInputStream(wav), ImaCells.Slack.NONE), 64);
    }

    /** The reader's values and fault against the second decoder's. */
    static AudioFormatException faultOf(byte[] wav) throws IOException {
        ImaReference.Expected ref = ImaReference.decode(wav, ImaCells.Slack.NONE);
        ImaSignals.Cells got = read(wav);
        assertArrayEquals(ref.x(), got.x(), "values before the fault");
        assertEquals(ref.faultKind(), ImaSignals.kind(got.fault()), String.valueOf(got.fault()));
        AudioFormatException e = assertInstanceOf(AudioFormatException.class, got.fault());
        assertEquals(ref.faultOffset(), e.offset(), e.getMessage());
        return e;
    }

    @Test
    void aBadStepIndexIsAFaultAtItsByteAfterTheBlocksBefore() throws IOException {
        byte[] w = wav(1500, 2);
        int block = 2;
        int at = HEADER + block * 512 + 4 + 2; // channel 1's step index in block 2
        w[at] = 89;
        AudioFormatException e = faultOf(w);
        assertEquals(BAD_BLOCK, e.kind());
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("block 2 (starting at byte offset " + (HEADER + 1024) + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("channel 1 has step index 89"), e.getMessage());
        assertEquals(2 * 505 * 2, read(w).x().length, "both earlier blocks delivered");
    }

    @Test
    void aNonzeroReservedByteIsAFault() throws IOException {
        byte[] w = wav(600, 1);
        w[HEADER + 256 + 3] = 1;
        AudioFormatException e = faultOf(w);
        assertEquals(BAD_BLOCK, e.kind());
        assertEquals(HEADER + 256 + 3, e.offset());
        assertTrue(e.getMessage().contains("reserved byte 1"), e.getMessage());
    }

    @Test
    void aBlockCutShortDeliversItsWholeGroupsThenFaults() throws IOException {
        byte[] whole = wav(1010, 1);
        // the stream ends 4 + 3 x 4 + 2 bytes into block 1: the header sample and 3 groups (25 frames) decode
        byte[] cut = Arrays.copyOf(whole, HEADER + 256 + 18);
        AudioFormatException e = faultOf(cut);
        assertEquals(ODD_LENGTH, e.kind());
        assertEquals(HEADER + 256 + 16, e.offset(), "the first group that did not arrive");
        assertTrue(e.getMessage().contains("block 1 (starting at byte offset " + (HEADER + 256) + ")"));
        assertEquals(505 + 25, read(cut).x().length);
        assertArrayEquals(Arrays.copyOf(read(whole).x(), 530), read(cut).x());
        // inside the channel headers of a 2-channel block: nothing of it decodes
        byte[] two = wav(1010, 2);
        e = faultOf(Arrays.copyOf(two, HEADER + 512 + 5));
        assertEquals(HEADER + 512, e.offset());
        assertTrue(e.getMessage().contains("inside its channel headers"), e.getMessage());
    }

    @Test
    void aCutInThePaddingOfTheLastBlockIsNoFault() throws IOException {
        // 530 frames: block 1 holds frames 505..529, i.e. its header and 3 groups; the rest is padding
        byte[] w = wav(530, 1);
        ImaSignals.Cells full = read(w);
        ImaSignals.Cells cut = read(Arrays.copyOf(w, HEADER + 256 + 16));
        assertNull(cut.fault());
        assertArrayEquals(full.x(), cut.x());
        assertEquals(530, cut.x().length);
        // one group less is too short
        assertEquals(ODD_LENGTH, faultOf(Arrays.copyOf(w, HEADER + 256 + 12)).kind());
    }

    @Test
    void aDataSizeThatIsNotWholeBlocksMattersOnlyWhereSamplesAreMissing() throws IOException {
        byte[] w = wav(1010, 1);
        // the data chunk declares 256 + 100 bytes, the fact 1010 frames: block 1 is cut by the data size
        byte[] declared = w.clone();
        ByteBuffer.wrap(declared).order(ByteOrder.LITTLE_ENDIAN).putInt(HEADER - 4, 356);
        AudioFormatException e = faultOf(declared);
        assertEquals(ODD_LENGTH, e.kind());
        assertEquals(HEADER + 256 + 100, e.offset());
        // with a fact of 505 the cut block is not needed
        ByteBuffer.wrap(declared).order(ByteOrder.LITTLE_ENDIAN).putInt(HEADER - 12, 505);
        assertNull(read(declared).fault());
        assertEquals(505, read(declared).x().length);
    }

    @Test
    void theFactCountIsHonoredAndAStreamingHeaderIgnoresIt() throws IOException {
        byte[] w = wav(700, 1); // fact 700: 2 blocks, the second padded
        assertEquals(700, read(w).x().length);
        byte[] fact3 = w.clone();
        ByteBuffer.wrap(fact3).order(ByteOrder.LITTLE_ENDIAN).putInt(HEADER - 12, 3);
        assertEquals(3, read(fact3).x().length);
        byte[] more = w.clone(); // a fact beyond the data: the data ends first
        ByteBuffer.wrap(more).order(ByteOrder.LITTLE_ENDIAN).putInt(HEADER - 12, 5000);
        assertNull(read(more).fault());
        assertEquals(1010, read(more).x().length);
        byte[] pipe = ImaSignals.write(ImaSignals.mixed(700, 1, 11), 1, 256); // sox's pipe placeholders
        assertEquals(1010, read(pipe).x().length);
        assertArrayEquals(read(w).x(), Arrays.copyOf(read(pipe).x(), 700));
    }

    /** The fmt chunk's IMA fields, each refused with its offset (the fmt body starts at byte 20). */
    @Test
    void headerFieldsAreChecked() throws IOException {
        byte[] good = wav(10, 2);
        headerFault(good, 34, 3, UNSUPPORTED_FORMAT, 34, "3-bit IMA ADPCM");            // bits per sample
        headerFault(good, 32, 510, MALFORMED_HEADER, 32, "block align 510");             // not 8k
        headerFault(good, 32, 4, MALFORMED_HEADER, 32, "block align 4");                 // under 4 x 2
        headerFault(good, 38, 504, MALFORMED_HEADER, 38, "samplesPerBlock 504");          // 505 expected
        headerFault(good, 36, 0, MALFORMED_HEADER, 36, "without its extension");          // cbSize 0
        // PcmReader refuses IMA ADPCM by name, as before
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> PcmReader.wav(new ByteArrayInputStream(good)));
        assertEquals(UNSUPPORTED_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("IMA ADPCM"), e.getMessage());
    }

    private static void headerFault(byte[] good, int at, int value, AudioFormatException.Kind kind, long offset,
                                    String says) {
        byte[] b = good.clone();
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >> 8);
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> ImaWavReader.open(new ByteArrayInputStream(b), ImaCells.Slack.NONE));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void aBlockIsDeliveredOnceItHasArrivedAndNotBefore() throws IOException {
        byte[] w = wav(1500, 1);
        ImaSignals.Cells all = read(w);
        // the header and one block and a half arrive; then the pipe would block
        ImaWavReader r = ImaWavReader.open(new ScriptedInputStream(ScriptedInputStream.After.BLOCK,
                Arrays.copyOf(w, 70), Arrays.copyOfRange(w, 70, HEADER + 256 + 128)), ImaCells.Slack.NONE);
        float[] x = new float[2000];
        int n = 0;
        while (n < 505) {
            n += r.read(x, n, 2000 - n);
        }
        assertEquals(505, n);
        for (int i = 0; i < n; i++) {
            assertEquals(all.x()[i], x[i] * 32768f);
        }
        assertEquals(0, r.available());
        int[] got = {n};
        assertThrows(ScriptedInputStream.WouldBlock.class, () -> r.read(x, got[0], 2000 - got[0]));
    }

    @Test
    void faultsAreStickyAndTheStreamsOwnErrorComesAfterTheSamples() throws IOException {
        byte[] w = wav(1500, 1);
        ScriptedInputStream s = new ScriptedInputStream(ScriptedInputStream.After.FAIL,
                Arrays.copyOf(w, HEADER + 256 + 30));
        ImaWavReader r = ImaWavReader.open(s, ImaCells.Slack.NONE);
        float[] x = new float[600];
        assertEquals(505, r.read(x, 0, 600));
        IOException e = assertThrows(IOException.class, () -> r.read(x, 0, 600));
        assertSame(s.failure, e);
        assertSame(e, assertThrows(IOException.class, () -> r.read(x, 0, 600)));
    }

    @Test
    void audioStreamsOpensItAsACellReader() throws IOException {
        byte[] w = wav(800, 3);
        SampleReader r = AudioStreams.openInput(new ByteArrayInputStream(w), InputFormat.AUTO, 1, 0);
        ImaWavReader ima = assertInstanceOf(ImaWavReader.class, r);
        assertEquals(Scheme.IMA_ADPCM, ima.scheme());
        assertEquals(4, ima.bits());
        assertEquals(3, ima.channels());
        assertEquals(16000, ima.sampleRate());
        assertSame(ImaEncoder.DEFAULT.slack(), ima.slack());
        assertTrue(ima.description().contains("IMA ADPCM, 3 channels, 16000 Hz"), ima.description());
        float[] x = new float[3000];
        int n = 0;
        int k;
        while ((k = r.read(x, n, 3000 - n)) > 0) {
            n += k;
        }
        assertEquals(2400, n);
        // PCM still opens as before
        byte[] pcm = WavHeader.encode(dev.pdq.audio.SampleEncoding.S16LE, 1, 8000, 0);
        assertInstanceOf(PcmReader.class, AudioStreams.openInput(new ByteArrayInputStream(pcm), InputFormat.WAV, 1, 0));
    }
}
