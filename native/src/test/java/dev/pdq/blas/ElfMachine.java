package dev.pdq.blas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The target machine of an ELF file (its e_machine field), to tell an arm64 library from an x86-64 one. */
public final class ElfMachine {

    /** e_machine values of the ELF specification. */
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    /** What a library loaded by a JVM of this os.arch must be built for. */
    private static final Map<String, Integer> BY_OS_ARCH = Map.of("amd64", EM_X86_64, "x86_64", EM_X86_64,
            "aarch64", EM_AARCH64);

    private ElfMachine() {
    }

    /** e_machine of an ELF file (bytes 18-19, in the byte order that byte 5, EI_DATA, names). */
    public static int of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** e_machine of the ELF file an input stream starts with; reads its first 20 bytes. */
    public static int of(InputStream in) throws IOException {
        byte[] header = in.readNBytes(20);
        if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            throw new IOException("not an ELF file");
        }
        ByteOrder order = header[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return Short.toUnsignedInt(ByteBuffer.wrap(header, 18, 2).order(order).getShort());
    }

    /** The e_machine a native library must have in a JVM whose os.arch is {@code osArch}, or -1 if unknown. */
    public static int forOsArch(String osArch) {
        return BY_OS_ARCH.getOrDefault(osArch, -1);
    }
}
