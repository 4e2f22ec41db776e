package dev.pdq.operator;

import dev.pdq.operator.ModelFormatException.Kind;
import dev.pdq.quant.Scheme;
import dev.pdq.trace.StartupTrace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.zip.CRC32;

/**
 * Reads and writes operator files (.pdqk), format version 1, described in runtime/MODEL_FORMAT.md:
 *
 * <pre>
 *   offset  size   field
 *   0       4      magic "PDQK"
 *   4       4      version (u32) = 1
 *   8       4      n (i32)                    1..4096
 *   12      4      k (i32)                    1..4096, k*n <= 2^22
 *   16      4      bits (i32)                 1..16
 *   20      4      sample rate (i32)          1..384000
 *   24      8      theta (f64)                [0, 1]
 *   32      8      sigma/tau (f64)            [1e-6, 1e6]
 *   40      4      trained iterations (i32)   1..10^6
 *   44      4      shifts (i32)               1..n
 *   48      4      provenance length P (i32)  0..65536
 *   52      P      provenance, UTF-8
 *   52+P    4kn    K, float32, row-major, finite, with sigma*tau*||K||^2 < 1 possible
 *   52+P+4kn 4     CRC32 of every byte before it (u32)
 * </pre>
 *
 * All numbers little-endian. The reader checks, in this order, and reports the first failure: the header fields
 * in file order (it allocates nothing sized by the file before they pass), truncation, the checksum, trailing
 * bytes, the values of K, and ||K|| (the Lanczos process in double; for a built-in model, the value the build
 * computed so for the same bytes: {@link BuiltinNorms}).
 */
public final class ModelFile {
    public static final byte[] MAGIC = {'P', 'D', 'Q', 'K'};
    /** Version 1: the uniform grid; version 2 adds the scheme and its block length. */
    public static final int VERSION = 2;
    /** Size of the fixed header of version 1, up to the provenance bytes. */
    public static final int HEADER_BYTES = 52;
    /** Version 2's two more fields (scheme, block length) before the provenance length. */
    public static final int HEADER_BYTES_V2 = 60;
    public static final String EXTENSION = ".pdqk";

    private ModelFile() {
    }

    /** Reads and validates an operator file. */
    public static Operator read(Path path) throws ModelFormatException {
        String source = path.toString();
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, source);
        } catch (ModelFormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(Kind.IO, source, null, -1, "no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(Kind.IO, source, null, -1, "cannot read: " + e, e);
        }
    }

    /**
     * Reads and validates an operator from a stream holding exactly one operator file (a built-in model from the
     * jar, for example). Does not close the stream.
     *
     * @param source the name used in error messages
     */
    public static Operator read(InputStream in, String source) throws ModelFormatException {
        return read(in, source, null);
    }

    /**
     * ||K|| computed before (by the Lanczos process, as the reader computes it) for the file whose stored CRC32 is
     * {@code crc32}: the built-in models' norms, which the build computes ({@link BuiltinNorms}).
     */
    public record KnownNorm(long crc32, double norm) {
    }

    /**
     * As {@link #read(InputStream, String)}, with ||K|| taken from {@code known} instead of computed when the file's
     * checksum is {@code known}'s (null: always computed). Every other check is made as for any file, and the norm
     * is checked against the step sizes as a computed one is.
     */
    public static Operator read(InputStream in, String source, KnownNorm known) throws ModelFormatException {
        try {
            return new Reader(in, source, known).read();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(Kind.IO, source, null, -1, "cannot read: " + e, e);
        }
    }

    /**
     * The bytes of an operator file: version 1 for the uniform grid (what it always held, byte for byte), version 2
     * for the other schemes.
     */
    public static byte[] toBytes(Operator op) {
        byte[] provenance = Operator.utf8(op.provenance());
        int n = op.n();
        int k = op.k();
        boolean v1 = op.scheme() == Scheme.UNIFORM;
        int size = (v1 ? HEADER_BYTES : HEADER_BYTES_V2) + provenance.length + 4 * k * n + 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(v1 ? 1 : VERSION).putInt(n).putInt(k).putInt(op.bits()).putInt(op.sampleRate())
                .putDouble(op.theta()).putDouble(op.stepRatio()).putInt(op.trainedIterations()).putInt(op.shifts());
        if (!v1) {
            b.putInt(op.scheme().ordinal()).putInt(op.blockLength());
        }
        b.putInt(provenance.length).put(provenance);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                b.putFloat(op.get(i, j));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Writes an operator file to a stream. Does not close it. */
    public static void write(Operator op, OutputStream out) throws IOException {
        out.write(toBytes(op));
    }

    /**
     * Writes an operator file: to a temporary file in the target's folder, flushed to disk, then renamed over the
     * target (atomically where the file system can). If anything fails the temporary file is removed and the
     * target is left as it was.
     */
    public static void write(Operator op, Path target) throws IOException {
        byte[] bytes = toBytes(op);
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        boolean moved = false;
        try {
            tmp = createSibling(dir, absolute.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            // a full disk says only "No space left on device", a read-only folder names the temporary file
            IOException named = new IOException("cannot write " + absolute + " (left as it was): " + e.getMessage(),
                    e);
            deleteQuietly(tmp, named);
            throw named;
        } finally {
            if (!moved) {
                deleteQuietly(tmp, null);
            }
        }
    }

    /** Removes the temporary file; a failure to (EROFS on a read-only folder) is attached to {@code error}. */
    private static void deleteQuietly(Path tmp, IOException error) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            if (error != null) {
                error.addSuppressed(e);
            }
        }
    }

    /**
     * A new empty file ".NAME.RANDOM.tmp" in dir. Unlike Files.createTempFile (always 0600) it gets the
     * permissions of any new file (the umask), which the renamed target keeps.
     */
    private static Path createSibling(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "." + random + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** One pass over the stream, tracking the byte offset and the CRC of everything read. */
    private static final class Reader {
        private final InputStream in;
        private final String source;
        private final KnownNorm known;
        private final CRC32 crc = new CRC32();
        private long offset;

        Reader(InputStream in, String source, KnownNorm known) {
            this.in = in;
            this.source = source;
            this.known = known;
        }

        Operator read() throws IOException {
            byte[] headerBytes = in.readNBytes(HEADER_BYTES);
            crc.update(headerBytes);
            int have = headerBytes.length;
            offset = have;
            ByteBuffer h = ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN);

            need(have, 0, 4, "magic");
            for (int i = 0; i < MAGIC.length; i++) {
                if (headerBytes[i] != MAGIC[i]) {
                    throw fail(Kind.BAD_MAGIC, "magic", 0, "is "
                            + hex(headerBytes, 0, 4) + ", expected \"PDQK\" (50 44 51 4B): not a pdq operator file");
                }
            }
            need(have, 4, 4, "version");
            int version = h.getInt(4);
            if (version != 1 && version != VERSION) {
                throw fail(Kind.UNSUPPORTED_VERSION, "version", 4, "is " + Integer.toUnsignedString(version)
                        + ", this reader knows versions 1 and " + VERSION);
            }
            int n = intField(h, have, 8, "n", Operator::checkDimension);
            int k = intField(h, have, 12, "k", Operator::checkDimension);
            check("k*n", 8, Operator.checkElements(k, n));
            int bits = intField(h, have, 16, "bits", Operator::checkBits);
            int rate = intField(h, have, 20, "sampleRate", Operator::checkSampleRate);
            double theta = doubleField(h, have, 24, "theta");
            check("theta", 24, Operator.checkTheta(theta));
            double ratio = doubleField(h, have, 32, "stepRatio");
            check("stepRatio", 32, Operator.checkStepRatio(ratio));
            int iterations = intField(h, have, 40, "trainedIterations", Operator::checkIterations);
            int shifts = intField(h, have, 44, "shifts", s -> Operator.checkShifts(s, n));
            Scheme scheme = Scheme.UNIFORM;
            int blockLength = 0;
            int at = 48;
            if (version == 2) {
                byte[] more = in.readNBytes(HEADER_BYTES_V2 - HEADER_BYTES);
                crc.update(more);
                offset += more.length;
                byte[] all = Arrays.copyOf(headerBytes, HEADER_BYTES_V2);
                System.arraycopy(more, 0, all, HEADER_BYTES, more.length);
                have += more.length;
                h = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
                int code = intField(h, have, 48, "scheme", c -> c >= 0 && c < Scheme.values().length ? null
                        : "= " + c + " is no scheme (0 uniform, 1 bfp, 2 ima-adpcm)");
                scheme = Scheme.values()[code];
                Scheme sc = scheme;
                blockLength = intField(h, have, 52, "block length", len -> Operator.checkScheme(sc, bits, len));
                at = 56;
            }
            int provenanceLength = intField(h, have, at, "provenance length",
                    Operator::checkProvenanceLength);

            // the header bounds every size below: provenance <= 64 KiB, K <= 16 MiB
            long provenanceOffset = offset;
            byte[] provenanceBytes = readExactly(provenanceLength, "provenance");
            String provenance = decodeUtf8(provenanceBytes, provenanceOffset);
            long matrixOffset = offset;
            byte[] matrixBytes = readExactly(4 * k * n, "K");
            long crcOffset = offset;
            long expected = crc.getValue();
            byte[] crcBytes = in.readNBytes(4);
            offset += crcBytes.length;
            if (crcBytes.length < 4) {
                throw truncated("checksum", crcOffset, 4, crcOffset + crcBytes.length);
            }
            long stored = ByteBuffer.wrap(crcBytes).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (stored != expected) {
                throw fail(Kind.CHECKSUM, "checksum", crcOffset, String.format(
                        "stores CRC32 %08x but bytes 0..%d give %08x: the file is corrupt", stored,
                        crcOffset - 1, expected));
            }
            if (in.read() != -1) {
                throw fail(Kind.TRAILING_BYTES, null, offset, "unexpected bytes after the checksum: the file should"
                        + " be " + offset + " bytes long");
            }

            StartupTrace.mark("model bytes read, CRC checked");
            float[] matrix = new float[k * n];
            ByteBuffer.wrap(matrixBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(matrix);
            for (int i = 0; i < matrix.length; i++) {
                if (!Float.isFinite(matrix[i])) {
                    throw fail(Kind.NON_FINITE, "K[" + i / n + "][" + i % n + "]", matrixOffset + 4L * i,
                            "is " + matrix[i]);
                }
            }
            StartupTrace.mark("model K decoded");
            double norm;
            if (known != null && known.crc32() == stored) {
                norm = known.norm();
                StartupTrace.mark("model ||K|| from the build's table");
            } else {
                norm = dev.pdq.solver.SpectralNorm.of(matrix, k, n);
                StartupTrace.mark("model ||K|| computed");
            }
            check("K", matrixOffset, Operator.checkSteps(norm, ratio));
            return Operator.checked(n, k, bits, rate, theta, ratio, iterations, shifts, scheme, blockLength, provenance,
                    matrix, norm);
        }

        /** Reads the i32 at {@code at} once the header holds it; {@code bounds} says what is wrong with it. */
        private int intField(ByteBuffer h, int have, int at, String name, IntFunction<String> bounds)
                throws ModelFormatException {
            need(have, at, 4, name);
            int v = h.getInt(at);
            check(name, at, bounds.apply(v));
            return v;
        }

        private double doubleField(ByteBuffer h, int have, int at, String name) throws ModelFormatException {
            need(have, at, 8, name);
            double v = h.getDouble(at);
            if (!Double.isFinite(v)) {
                throw fail(Kind.NON_FINITE, name, at, "is " + v);
            }
            return v;
        }

        /** The header field [at, at+size) must lie within the {@code have} bytes read. */
        private void need(int have, int at, int size, String name) throws ModelFormatException {
            if (at + size > have) {
                throw truncated(name, at, size, have);
            }
        }

        private byte[] readExactly(int len, String name) throws IOException {
            long at = offset;
            byte[] b = in.readNBytes(len);
            offset += b.length;
            if (b.length < len) {
                throw truncated(name, at, len, offset);
            }
            crc.update(b);
            return b;
        }

        private String decodeUtf8(byte[] bytes, long at) throws ModelFormatException {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer src = ByteBuffer.wrap(bytes);
            CharBuffer dst = CharBuffer.allocate(bytes.length);
            CoderResult r = dec.decode(src, dst, true);
            if (!r.isError()) {
                r = dec.flush(dst);
            }
            if (r.isError()) {
                throw fail(Kind.BAD_FIELD, "provenance", at + src.position(), "is not valid UTF-8");
            }
            dst.flip();
            return dst.toString();
        }

        private void check(String name, long at, String problem) throws ModelFormatException {
            if (problem != null) {
                throw fail(Kind.BAD_FIELD, name, at, problem);
            }
        }

        private ModelFormatException truncated(String name, long at, long size, long end) {
            return fail(Kind.TRUNCATED, name, at, "needs " + size + " bytes but the file ends at byte " + end);
        }

        private ModelFormatException fail(Kind kind, String field, long at, String detail) {
            return new ModelFormatException(kind, source, field, at, detail);
        }
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            if (i > off) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", b[i]));
        }
        return sb.toString();
    }
}
