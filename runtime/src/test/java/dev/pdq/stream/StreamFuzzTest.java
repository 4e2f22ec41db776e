package dev.pdq.stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.audio.SampleCollector;
import dev.pdq.blas.JavaBlas;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the streaming framing (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/stream/StreamFuzzTestInputs/framing/): the input, decoded by FuzzedDataProvider, picks
 * channels (1..3), shifts (1, 2, 4, 8), batch (1..40), then a sequence of pushes of any size, idle flushes and
 * writer flushes, and a finish. With L = 0 the solver returns every frame as it came and the mean of S equal
 * solutions is that value again, so the output must be the input exactly: any sample lost, written twice, out of
 * order, into the wrong channel or altered by the framing fails the target.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class StreamFuzzTest {
    static final int N = 16;
    static final int[] SHIFTS = {1, 2, 4, 8};
    static final int MAX_SAMPLES = 4096;

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void framing(FuzzedDataProvider data) throws IOException {
        int channels = data.consumeInt(1, 3);
        int shifts = data.pickValue(SHIFTS);
        int batch = data.consumeInt(1, 40);
        Operator dct = Operator.dct(N, 4, 16000, 1);
        Quantizer q = new Quantizer(4);
        SampleCollector out = new SampleCollector(channels, MAX_SAMPLES * channels); // refuses more out than in
        StreamDequantizer stream = new StreamDequantizer(
                dct.newSolver(new JavaBlas(), StreamDequantizer.rowsFor(batch, channels)), channels, shifts, batch,
                0, q, out);
        float[] in = new float[MAX_SAMPLES * channels];
        int frames = 0;
        while (data.remainingBytes() > 0 && frames < MAX_SAMPLES) {
            switch (data.consumeInt(0, 3)) {
                case 0 -> stream.flushPending();
                case 1 -> out.flush();
                default -> {
                    int k = Math.min(data.consumeInt(0, 3 * N), MAX_SAMPLES - frames);
                    for (int i = 0; i < k * channels; i++) {
                        in[frames * channels + i] = q.value(data.consumeInt(0, 15)); // on the 4-bit grid
                    }
                    stream.push(in, frames * channels, k);
                    frames += k;
                }
            }
            assertTrue(out.count() <= frames * channels, "more samples out than in");
        }
        stream.finish();
        assertEquals(frames * channels, out.count(), "samples out");
        for (int i = 0; i < out.count(); i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(in[i]), Float.floatToRawIntBits(out.value(i)),
                    () -> "sample " + at / channels + " of channel " + at % channels + " (S = " + shifts + ", B = "
                            + batch + ")");
        }
        assertEquals(frames, stream.emitted());
    }
}
