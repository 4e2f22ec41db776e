package dev.pdq.operator;

import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinModelsTest {

    /** The committed resource is exactly what generate() makes (regenerate with GenerateBuiltinModels). */
    @Test
    void committedResourceIsReproducible() throws Exception {
        for (int bits : BuiltinModels.bitDepths()) {
            byte[] committed;
            try (InputStream in = BuiltinModels.class.getResourceAsStream(BuiltinModels.resource(bits))) {
                assertNotNull(in, "resource " + BuiltinModels.resource(bits));
                committed = in.readAllBytes();
            }
            assertArrayEquals(ModelFile.toBytes(BuiltinModels.generate(bits)), committed,
                    "resource for " + bits + " bits differs from BuiltinModels.generate: regenerate it");
        }
    }

    @Test
    void fourBitModelLoads() {
        Operator op = BuiltinModels.forBits(4).orElseThrow();
        assertEquals(320, op.n());
        assertEquals(320, op.k());
        assertEquals(4, op.bits());
        assertEquals(16000, op.sampleRate());
        assertEquals(BuiltinModels.DCT_4BIT_ITERATIONS, op.trainedIterations());
        assertEquals(1.0, op.spectralNorm(), 1e-6);
        assertTrue(op.provenance().contains("DCT"));
    }

    @Test
    void otherDepthsHaveNone() {
        assertTrue(BuiltinModels.forBits(3).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> BuiltinModels.generate(5));
    }
}
