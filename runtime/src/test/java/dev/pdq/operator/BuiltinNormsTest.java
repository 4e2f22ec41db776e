package dev.pdq.operator;

import dev.pdq.solver.SpectralNorm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinNormsTest {
    private static final String[] MODELS = {"default-3bit", "default-4bit", "default-4bit-1grid", "default-4bit-8k",
        "default-5bit", "default-6bit", "default-bfp-3bit", "default-bfp-4bit", "default-bfp-5bit",
        "default-ima-adpcm-4bit"};

    /**
     * The table the build made holds, for every model in the jar, that file's checksum and the norm the Lanczos
     * process gives for its K, recomputed here from the bytes; and loading the model uses it.
     */
    @Test
    void theBuildsTableMatchesEveryBuiltInModel() throws IOException, ModelFormatException {
        for (String model : MODELS) {
            String resource = "/dev/pdq/models/" + model + ModelFile.EXTENSION;
            byte[] bytes;
            try (InputStream in = BuiltinModels.class.getResourceAsStream(resource)) {
                assertNotNull(in, resource);
                bytes = in.readAllBytes();
            }
            ModelFile.KnownNorm known = BuiltinNorms.of(resource);
            assertNotNull(known, "no table entry for " + resource);
            assertEquals(storedCrc(bytes), known.crc32(), resource);
            Operator computed = ModelFile.read(new ByteArrayInputStream(bytes), resource);
            assertEquals(SpectralNorm.of(computed.matrix(), computed.k(), computed.n()), known.norm(), 0.0, resource);
            assertEquals(known.norm(), computed.spectralNorm(), 0.0, resource);
        }
        assertEquals(BuiltinNorms.of("/dev/pdq/models/default-4bit.pdqk").norm(),
                BuiltinModels.forBits(4).orElseThrow().spectralNorm(), 0.0);
    }

    /** A known norm stands in only for the file with its checksum, and is checked against the step sizes. */
    @Test
    void aKnownNormIsUsedOnlyForItsOwnBytes() throws ModelFormatException {
        Operator dct = Operator.dct(16, 4, 16000, 10);
        byte[] bytes = ModelFile.toBytes(dct);
        long crc = storedCrc(bytes);
        double exact = ModelFile.read(new ByteArrayInputStream(bytes), "dct").spectralNorm();

        Operator other = ModelFile.read(new ByteArrayInputStream(bytes), "dct", new ModelFile.KnownNorm(crc ^ 1, 2.0));
        assertEquals(exact, other.spectralNorm(), 0.0, "a table entry for other bytes must not be used");

        Operator same = ModelFile.read(new ByteArrayInputStream(bytes), "dct", new ModelFile.KnownNorm(crc, 1.5));
        assertEquals(1.5, same.spectralNorm(), 0.0);

        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(
                new ByteArrayInputStream(bytes), "dct", new ModelFile.KnownNorm(crc, 0.0)));
        assertTrue(e.getMessage().contains("dct"), e.getMessage());
    }

    /** The generator's lines read back as the table (name, hexadecimal CRC, the norm's exact decimal). */
    @Test
    void theTableReadsBackWhatTheGeneratorWrote(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Operator a = Operator.dct(16, 4, 16000, 10);
        Files.write(dir.resolve("a.pdqk"), ModelFile.toBytes(a));
        Files.write(dir.resolve("b.pdqk"), ModelFile.toBytes(a.withProvenance("b")));
        Files.writeString(dir.resolve("notes.txt"), "not a model");
        BuiltinNorms.main(new String[] {dir.toString()});
        List<String> lines = Files.readAllLines(dir.resolve("norms.tsv"));
        assertEquals(2, lines.size(), lines.toString());
        Map<String, ModelFile.KnownNorm> table = BuiltinNorms.read(
                new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        assertEquals(storedCrc(ModelFile.toBytes(a.withProvenance("b"))), table.get("b.pdqk").crc32());
        assertEquals(a.spectralNorm(), table.get("a.pdqk").norm(), 0.0);
        assertNull(table.get("notes.txt"));
        assertTrue(BuiltinNorms.read(null).isEmpty());
    }

    private static long storedCrc(byte[] file) {
        return ByteBuffer.wrap(file, file.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }
}
