package dev.pdq.operator;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets of the operator-file reader (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/operator/ModelFileFuzzTestInputs/METHOD/). {@link #model} reads the bytes as they are;
 * {@link #modelWithValidCrc} first rewrites the trailing CRC32 over the bytes before it, so that the fuzzer reaches
 * the checks after the checksum (trailing bytes, non-finite K, step sizes).
 *
 * <p>Failure: an exception other than {@link ModelFormatException}; a hang; more allocation than a fixed part
 * plus a small multiple of the input's length (a header claiming a 4096 x 1024 K or 64 KiB of provenance must not
 * allocate them before the bytes are there); an operator accepted whose bytes do not round-trip exactly, or
 * whose fields are outside the documented bounds.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class ModelFileFuzzTest {

    /** Header, CRC, decoder and power-iteration workspace, apart from what the input's own length pays for. */
    /** Bytes allocated per input byte: K's bytes, its floats, and the provenance's chars (2 bytes each). */
    static final int ALLOCATION_PER_BYTE = 8;

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void model(byte[] file) {
        check(file);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void modelWithValidCrc(byte[] file) {
        byte[] fixed = file.clone();
        if (fixed.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(fixed, 0, fixed.length - 4);
            long v = crc.getValue();
            for (int i = 0; i < 4; i++) {
                fixed[fixed.length - 4 + i] = (byte) (v >>> (8 * i));
            }
        }
        check(fixed);
    }

    private static void check(byte[] file) {
        try {
            ModelFile.read(new ByteArrayInputStream(file), "fuzz.pdqk"); // once to load every class on the way
        } catch (ModelFormatException measuredBelow) {
            // the same again, measured
        }
        Fuzzing.AllocationGuard guard = new Fuzzing.AllocationGuard();
        Operator op;
        try {
            op = ModelFile.read(new ByteArrayInputStream(file), "fuzz.pdqk");
        } catch (ModelFormatException refused) {
            guard.assertAtMost(Fuzzing.ALLOCATION_SLACK + (long) ALLOCATION_PER_BYTE * file.length, "refusing a model");
            assertTrue(refused.getMessage().startsWith("fuzz.pdqk: "), refused::getMessage);
            assertNotNull(refused.kind());
            return;
        }
        guard.assertAtMost(Fuzzing.ALLOCATION_SLACK + (long) ALLOCATION_PER_BYTE * file.length, "reading a model");
        assertTrue(op.n() >= 1 && op.n() <= Operator.MAX_DIMENSION && op.k() >= 1 && op.k() <= Operator.MAX_DIMENSION
                && (long) op.n() * op.k() <= Operator.MAX_ELEMENTS, op::toString);
        assertTrue(op.shifts() >= 1 && op.shifts() <= op.n(), op::toString);
        assertTrue(op.spectralNorm() > 0 && Double.isFinite(op.spectralNorm()), op::toString);
        double product = (double) (float) op.sigma() * (float) op.tau() * op.spectralNorm() * op.spectralNorm();
        assertTrue(product < 1, () -> op + ": sigma*tau*||K||^2 = " + product);
        assertArrayEquals(file, ModelFile.toBytes(op), "an accepted file is exactly the bytes of what was read");
        assertEquals(op, new Operator(op.n(), op.k(), op.bits(), op.sampleRate(), op.theta(), op.stepRatio(),
                op.trainedIterations(), op.shifts(), op.provenance(), op.matrix()).withScheme(op.scheme(),
                op.blockLength()), "the constructor (with the file's scheme) agrees");
    }
}
