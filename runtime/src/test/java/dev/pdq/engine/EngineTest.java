package dev.pdq.engine;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.device.DeviceProfile;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Scheme;
import dev.pdq.quant.StreamKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolving an engine without a command line: what dequantize, info and bench get from their options. */
class EngineTest {
    @Test
    void theBuiltInModelAndTheDct() throws EngineException {
        Engine.Model builtIn = Engine.model(EngineSettings.DEFAULT, 4, null);
        Operator expected = BuiltinModels.forBits(4).orElseThrow();
        assertArrayEquals(expected.matrix(), builtIn.operator().matrix(), 0f);
        assertEquals(expected.trainedIterations(), builtIn.iterations());

        Engine.Model dct = Engine.model(new EngineSettings("dct", null, BlasChoice.JAVA, null), 4, null);
        assertArrayEquals(BuiltinModels.dct(4).matrix(), dct.operator().matrix(), 0f);
        assertEquals(BuiltinModels.dctIterations(4), dct.iterations());
    }

    /** K = DCT over-smooths BFP and IMA ADPCM at every L measured: asked for, it runs at L = 0 there. */
    @Test
    void theDctPassesOtherSchemesThrough() throws EngineException {
        EngineSettings dct = new EngineSettings("dct", null, BlasChoice.JAVA, null);
        for (StreamKind kind : new StreamKind[] {new StreamKind(Scheme.BFP, 4, 16000, 32),
                new StreamKind(Scheme.IMA_ADPCM, 4, 16000, 0)}) {
            Engine.Model m = Engine.model(dct, kind, null);
            assertEquals(0, m.iterations(), kind::describe);
            assertEquals(kind.scheme(), m.operator().scheme());
        }
        assertEquals(BuiltinModels.dctIterations(4),
                Engine.model(dct, StreamKind.uniform(4, 8000), null).iterations());
    }

    @Test
    void aModelFileRunsAtItsTrainedIterations(@TempDir Path dir) throws IOException, EngineException {
        Path file = dir.resolve("m.pdqk");
        ModelFile.write(Operator.dct(32, 5, 16000, 7), file);
        Engine.Model m = Engine.model(new EngineSettings(file.toString(), null, BlasChoice.JAVA, null), 4, null);
        assertEquals(32, m.operator().n());
        assertEquals(7, m.iterations());
    }

    @Test
    void faultsAreEngineExceptionsNamingWhatWasWrong(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.pdqk");
        Files.writeString(bad, "not a model");
        EngineException model = assertThrows(EngineException.class,
                () -> Engine.model(new EngineSettings(bad.toString(), null, BlasChoice.JAVA, null), 4, null));
        assertTrue(model.getMessage().contains(bad.toString()), model.getMessage());
        Path missing = dir.resolve("none.properties");
        EngineException profile = assertThrows(EngineException.class,
                () -> Engine.profile(new EngineSettings(null, missing.toString(), BlasChoice.JAVA, null)));
        assertTrue(profile.getMessage().contains("none.properties"), profile.getMessage());
    }

    @Test
    void theJavaBackendOnTheGenericProfile() throws EngineException {
        EngineSettings s = new EngineSettings(null, "generic", BlasChoice.JAVA, null);
        DeviceProfile p = Engine.profile(s);
        assertEquals("generic", p.name());
        Blas blas = Engine.blas(s, p);
        assertEquals("java", blas.name());
    }
}
