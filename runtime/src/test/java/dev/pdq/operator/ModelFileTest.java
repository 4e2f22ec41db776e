package dev.pdq.operator;

import dev.pdq.operator.ModelFormatException.Kind;
import dev.pdq.quant.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    private static final String PROVENANCE = "test K: Gaussian, seed 11 — ünïcödé";
    private static final int N = 7;
    private static final int K = 5;

    @TempDir
    Path dir;

    private static Operator operator() {
        return new Operator(N, K, 3, 8000, 0.75, 42.5, 123, 2, PROVENANCE, OperatorTest.randomMatrix(K, N, 11));
    }

    private static int provenanceBytes() {
        return PROVENANCE.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int matrixOffset() {
        return ModelFile.HEADER_BYTES + provenanceBytes();
    }

    private static int crcOffset() {
        return matrixOffset() + 4 * K * N;
    }

    private static ModelFormatException readFails(byte[] bytes) {
        return assertThrows(ModelFormatException.class,
                () -> ModelFile.read(new ByteArrayInputStream(bytes), "test.pdqk"));
    }

    /** Rewrites the CRC32 so that only the check under test can fire. */
    private static byte[] withValidCrc(byte[] b) {
        int at = b.length - 4;
        CRC32 crc = new CRC32();
        crc.update(b, 0, at);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) crc.getValue());
        return b;
    }

    private static byte[] putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return b;
    }

    private static byte[] putDouble(byte[] b, int at, double v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, v);
        return b;
    }

    @Test
    void roundTripThroughBytes() throws Exception {
        Operator op = operator();
        byte[] bytes = ModelFile.toBytes(op);
        assertEquals(crcOffset() + 4, bytes.length);
        Operator back = ModelFile.read(new ByteArrayInputStream(bytes), "mem");
        assertEquals(op, back);
        assertEquals(PROVENANCE, back.provenance());
        assertEquals(op.spectralNorm(), back.spectralNorm(), 0.0);
    }

    @Test
    void roundTripThroughAFile() throws Exception {
        Operator op = Operator.dct(320, 4, 16000, 50);
        Path file = dir.resolve("dct.pdqk");
        ModelFile.write(op, file);
        assertEquals(op, ModelFile.read(file));
        assertEquals(List.of(file), listDir(), "no temporary file left");
    }

    @Test
    void layoutIsAsDocumented() {
        byte[] b = ModelFile.toBytes(operator());
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("PDQK", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, h.getInt(4));
        assertEquals(N, h.getInt(8));
        assertEquals(K, h.getInt(12));
        assertEquals(3, h.getInt(16));
        assertEquals(8000, h.getInt(20));
        assertEquals(0.75, h.getDouble(24));
        assertEquals(42.5, h.getDouble(32));
        assertEquals(123, h.getInt(40));
        assertEquals(2, h.getInt(44));
        assertEquals(provenanceBytes(), h.getInt(48));
        assertEquals(operator().get(1, 2), h.getFloat(matrixOffset() + 4 * (N + 2)));
        CRC32 crc = new CRC32();
        crc.update(b, 0, crcOffset());
        assertEquals(crc.getValue(), h.getInt(crcOffset()) & 0xFFFFFFFFL);
    }

    /** Other schemes are written as version 2: scheme and block length after shifts, the rest moved by 8 bytes. */
    @ParameterizedTest
    @CsvSource({"BFP, 80, 3", "IMA_ADPCM, 0, 4"})
    void schemesRoundTripAsVersion2(Scheme scheme, int block, int bits) throws Exception {
        Operator op = new Operator(N, K, bits, 8000, 0.75, 42.5, 123, 2, scheme, block, PROVENANCE,
                OperatorTest.randomMatrix(K, N, 11));
        byte[] b = ModelFile.toBytes(op);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, h.getInt(4));
        assertEquals(scheme.ordinal(), h.getInt(48));
        assertEquals(block, h.getInt(52));
        assertEquals(provenanceBytes(), h.getInt(56));
        assertEquals(crcOffset() + 4 + 8, b.length);
        Operator back = ModelFile.read(new ByteArrayInputStream(b), "mem");
        assertEquals(op, back);
        assertEquals(scheme, back.scheme());
        assertEquals(block, back.blockLength());
        assertEquals(Scheme.UNIFORM, ModelFile.read(new ByteArrayInputStream(ModelFile.toBytes(operator())), "mem")
                .scheme(), "version 1 is the uniform grid");
    }

    @ParameterizedTest
    @CsvSource({"48, 3, scheme", "48, -1, scheme", "52, 0, block length", "52, 4097, block length"})
    void impossibleSchemeField(int at, int value, String field) {
        Operator op = new Operator(N, K, 3, 8000, 0.75, 42.5, 123, 2, Scheme.BFP, 80, PROVENANCE,
                OperatorTest.randomMatrix(K, N, 11));
        ModelFormatException e = readFails(withValidCrc(putInt(ModelFile.toBytes(op), at, value)));
        assertEquals(Kind.BAD_FIELD, e.kind());
        assertEquals(at, e.offset());
        assertEquals(field, e.field());
    }

    @Test
    void schemeFieldsAreChecked() {
        float[] m = OperatorTest.randomMatrix(K, N, 11);
        assertThrows(IllegalArgumentException.class,
                () -> new Operator(N, K, 3, 8000, 1, 100, 10, 1, Scheme.IMA_ADPCM, 0, "", m), "ADPCM is 4 bits");
        assertThrows(IllegalArgumentException.class,
                () -> new Operator(N, K, 4, 8000, 1, 100, 10, 1, Scheme.UNIFORM, 80, "", m), "uniform has no block");
        assertThrows(IllegalArgumentException.class,
                () -> new Operator(N, K, 4, 8000, 1, 100, 10, 1, Scheme.BFP, 0, "", m), "BFP needs a block");
    }

    @Test
    void badMagic() {
        byte[] b = withValidCrc(ModelFile.toBytes(operator()));
        b[1] = 'X';
        ModelFormatException e = readFails(b);
        assertEquals(Kind.BAD_MAGIC, e.kind());
        assertEquals(0, e.offset());
        assertEquals("magic", e.field());
        assertTrue(e.getMessage().startsWith("test.pdqk: byte 0: magic "), e.getMessage());
    }

    @Test
    void notAModelAtAll() {
        ModelFormatException e = readFails("RIFF....WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Kind.BAD_MAGIC, e.kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1})
    void wrongVersion(int version) {
        byte[] b = withValidCrc(putInt(ModelFile.toBytes(operator()), 4, version));
        ModelFormatException e = readFails(b);
        assertEquals(Kind.UNSUPPORTED_VERSION, e.kind());
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains(Integer.toUnsignedString(version)), e.getMessage());
    }

    /** Cut at offsets in every region; the report names the field the file ends in. */
    @Test
    void truncatedAnywhere() {
        byte[] full = ModelFile.toBytes(operator());
        int[] cuts = {0, 3, 4, 10, 24, 30, 47, 51, 52, matrixOffset() - 1, matrixOffset(), matrixOffset() + 17,
            crcOffset() - 1, crcOffset(), full.length - 1};
        for (int cut : cuts) {
            ModelFormatException e = readFails(Arrays.copyOf(full, cut));
            assertEquals(Kind.TRUNCATED, e.kind(), "cut at " + cut + ": " + e.getMessage());
            assertTrue(e.offset() <= cut, "cut at " + cut + " reported at " + e.offset());
            String expected = cut < 4 ? "magic" : cut < 8 ? "version" : cut < 12 ? "n" : cut < 52 && cut >= 48
                    ? "provenance length" : cut < 52 ? null : cut < matrixOffset() ? "provenance"
                    : cut < crcOffset() ? "K" : "checksum";
            if (expected != null) {
                assertEquals(expected, e.field(), "cut at " + cut);
            }
            assertTrue(e.getMessage().contains("ends at byte " + cut), e.getMessage());
        }
    }

    @Test
    void flippedByteInKFailsTheChecksum() {
        byte[] b = ModelFile.toBytes(operator());
        b[matrixOffset() + 9] ^= 0x01;
        ModelFormatException e = readFails(b);
        assertEquals(Kind.CHECKSUM, e.kind());
        assertEquals(crcOffset(), e.offset());
    }

    @Test
    void flippedByteInProvenanceFailsTheChecksum() {
        byte[] b = ModelFile.toBytes(operator());
        b[ModelFile.HEADER_BYTES] ^= 0x02;
        assertEquals(Kind.CHECKSUM, readFails(b).kind());
    }

    @Test
    void flippedByteInAHeaderFieldFailsTheChecksum() {
        byte[] b = ModelFile.toBytes(operator());
        b[24] ^= 0x01; // lowest mantissa byte of theta: still in bounds
        assertEquals(Kind.CHECKSUM, readFails(b).kind());
    }

    @Test
    void nanInK() {
        int row = 3;
        int col = 4;
        int at = matrixOffset() + 4 * (row * N + col);
        byte[] b = ModelFile.toBytes(operator());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        ModelFormatException e = readFails(withValidCrc(b));
        assertEquals(Kind.NON_FINITE, e.kind());
        assertEquals(at, e.offset());
        assertEquals("K[3][4]", e.field());
    }

    @Test
    void infinityInK() {
        byte[] b = ModelFile.toBytes(operator());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(matrixOffset(), Float.NEGATIVE_INFINITY);
        assertEquals(Kind.NON_FINITE, readFails(withValidCrc(b)).kind());
    }

    @Test
    void zeroKHasNoStepSizes() {
        byte[] b = ModelFile.toBytes(operator());
        Arrays.fill(b, matrixOffset(), crcOffset(), (byte) 0);
        ModelFormatException e = readFails(withValidCrc(b));
        assertEquals(Kind.BAD_FIELD, e.kind());
        assertEquals("K", e.field());
        assertTrue(e.getMessage().contains("sigma*tau*||K||^2 < 1"), e.getMessage());
    }

    @Test
    void nonFiniteHeaderNumbers() {
        ModelFormatException e = readFails(withValidCrc(putDouble(ModelFile.toBytes(operator()), 24, Double.NaN)));
        assertEquals(Kind.NON_FINITE, e.kind());
        assertEquals("theta", e.field());
        e = readFails(withValidCrc(putDouble(ModelFile.toBytes(operator()), 32, Double.POSITIVE_INFINITY)));
        assertEquals(Kind.NON_FINITE, e.kind());
        assertEquals("stepRatio", e.field());
    }

    /** One impossible value per header field; the reader names it and its offset. */
    @ParameterizedTest
    @CsvSource({
        "8, 0, n", "8, -3, n", "8, 4097, n", "12, 0, k", "12, 100000, k", "16, 0, bits", "16, 17, bits",
        "20, 0, sampleRate", "20, 384001, sampleRate", "40, 0, trainedIterations",
        "40, 1000001, trainedIterations", "44, 0, shifts", "44, 8, shifts", "48, -1, provenance length",
        "48, 65537, provenance length"})
    void impossibleIntegerField(int at, int value, String field) {
        ModelFormatException e = readFails(withValidCrc(putInt(ModelFile.toBytes(operator()), at, value)));
        assertEquals(Kind.BAD_FIELD, e.kind(), e.getMessage());
        assertEquals(field, e.field());
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains(String.valueOf(value)), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"24, -0.5, theta", "24, 1.01, theta", "32, 0, stepRatio", "32, -1, stepRatio",
        "32, 1e7, stepRatio"})
    void impossibleDoubleField(int at, double value, String field) {
        ModelFormatException e = readFails(withValidCrc(putDouble(ModelFile.toBytes(operator()), at, value)));
        assertEquals(Kind.BAD_FIELD, e.kind(), e.getMessage());
        assertEquals(field, e.field());
        assertEquals(at, e.offset());
    }

    /** 4096 x 4096 passes each dimension but not k*n; the reader refuses before allocating 64 MiB. */
    @Test
    void impossibleDimensionsAreRefusedBeforeAllocating() {
        byte[] b = Arrays.copyOf(ModelFile.toBytes(operator()), ModelFile.HEADER_BYTES);
        putInt(b, 8, 4096);
        putInt(b, 12, 4096);
        ModelFormatException e = readFails(b);
        assertEquals(Kind.BAD_FIELD, e.kind());
        assertEquals("k*n", e.field());
    }

    /** A header announcing the largest K on a short stream: truncated, after a bounded read. */
    @Test
    void largestAllowedKOnAShortStream() {
        byte[] b = Arrays.copyOf(ModelFile.toBytes(operator()), ModelFile.HEADER_BYTES);
        putInt(b, 8, 2048);
        putInt(b, 12, 2048);
        putInt(b, 48, 0);
        ModelFormatException e = readFails(b);
        assertEquals(Kind.TRUNCATED, e.kind());
        assertEquals(ModelFile.HEADER_BYTES, e.offset());
    }

    @Test
    void invalidUtf8Provenance() {
        byte[] b = ModelFile.toBytes(operator());
        b[ModelFile.HEADER_BYTES + 2] = (byte) 0xFF;
        ModelFormatException e = readFails(withValidCrc(b));
        assertEquals(Kind.BAD_FIELD, e.kind());
        assertEquals("provenance", e.field());
        assertEquals(ModelFile.HEADER_BYTES + 2, e.offset());
    }

    @Test
    void trailingBytes() {
        byte[] full = ModelFile.toBytes(operator());
        ModelFormatException e = readFails(Arrays.copyOf(full, full.length + 1));
        assertEquals(Kind.TRAILING_BYTES, e.kind());
        assertEquals(full.length, e.offset());
    }

    @Test
    void errorsNameTheFile() throws Exception {
        Path file = dir.resolve("broken.pdqk");
        byte[] b = ModelFile.toBytes(operator());
        b[0] = 0;
        Files.write(file, b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + ": byte 0: magic"), e.getMessage());
    }

    @Test
    void missingFile() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(dir.resolve("absent.pdqk")));
        assertEquals(Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("absent.pdqk"), e.getMessage());
    }

    @Test
    void failingStreamIsAnIoError() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("device gone");
            }
        };
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(broken, "dev"));
        assertEquals(Kind.IO, e.kind());
    }

    @Test
    void writerReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("m.pdqk");
        ModelFile.write(operator(), file);
        Operator other = operator().withProvenance("second");
        ModelFile.write(other, file);
        assertEquals(other, ModelFile.read(file));
        assertEquals(List.of(file), listDir());
    }

    /** The rename fails (the target is a non-empty folder): the target is untouched, no temporary file left. */
    @Test
    void failedWriteLeavesTargetAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("m.pdqk");
        Files.createDirectory(target);
        Path inside = target.resolve("keep.txt");
        Files.writeString(inside, "keep");
        assertThrows(IOException.class, () -> ModelFile.write(operator(), target));
        assertTrue(Files.isDirectory(target));
        assertEquals("keep", Files.readString(inside));
        assertEquals(List.of(target), listDir());
    }

    @Test
    void writingIntoAMissingFolderFailsAndCreatesNothing() throws Exception {
        Path target = dir.resolve("no-such-folder").resolve("m.pdqk");
        assertThrows(IOException.class, () -> ModelFile.write(operator(), target));
        assertEquals(List.of(), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }
}
