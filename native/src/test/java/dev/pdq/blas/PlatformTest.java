package dev.pdq.blas;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native pieces this JVM loaded are built for the machine it runs on: JNA's dispatch library and the BLAS the
 * selector found. On x86-64 this checks the host; in the arm64 profile (the JVM runs under qemu-aarch64, see
 * .ci/java-arm64) it proves that the aarch64 JNA dispatch library and Debian's arm64 OpenBLAS are the ones in use.
 */
@Tag("arm64")
class PlatformTest {

    private static final String ARCH = System.getProperty("os.arch");

    @Test
    void runsOnTheExpectedArchitecture() {
        String expected = TestJvm.expectedArch();
        if (expected != null) {
            assertEquals(expected, ARCH, "the test JVM's os.arch");
        }
        assertNotEquals(-1, ElfMachine.forOsArch(ARCH), "no known ELF machine for os.arch " + ARCH);
    }

    @Test
    void jnaLoadedTheDispatchLibraryOfThisArchitecture() throws IOException {
        Memory probe = new Memory(Long.BYTES); // its accessors are native methods of the dispatch library
        probe.setLong(0, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, probe.getLong(0), "JNA's dispatch library answers");
        assertEquals(8, Native.POINTER_SIZE, "a 64-bit JVM");
        String prefix = ARCH.equals("aarch64") ? "linux-aarch64" : "linux-x86-64";
        assertEquals(prefix, Platform.RESOURCE_PREFIX, "JNA's resource prefix picks the dispatch library");
        // JNA unpacks the library of that prefix to a temporary file, loads it and deletes it; the file's path
        // stays in jnidispatch.path and in this process's executable mappings.
        String loaded = System.getProperty("jnidispatch.path");
        assertNotNull(loaded, "jnidispatch.path: JNA loaded its dispatch library from its own jar");
        assertTrue(executableMappings().stream().anyMatch(line -> line.contains(loaded)),
                loaded + " is mapped executable in this process");
        try (InputStream in = Native.class.getResourceAsStream("/com/sun/jna/" + prefix + "/libjnidispatch.so")) {
            assertNotNull(in, "JNA's jar has " + prefix + "/libjnidispatch.so");
            assertEquals(ElfMachine.forOsArch(ARCH), ElfMachine.of(in), prefix + "/libjnidispatch.so is built for "
                    + ARCH);
        }
    }

    @Test
    void theSelectorFindsANativeBlasOfThisArchitecture() throws IOException {
        BlasBackends.nativeBlas(); // fails under PDQ_REQUIRE_NATIVE=1 (CI) when OpenBLAS does not load
        OpenBlas blas = assertInstanceOf(OpenBlas.class, Blases.select(BlasChoice.AUTO));
        assertEquals("native", blas.name());
        Path file = Path.of(blas.libraryFile());
        assertEquals(ElfMachine.forOsArch(ARCH), ElfMachine.of(file), file + " is built for " + ARCH);
        assertTrue(blas.description().contains(blas.libraryFile()), blas.description());
        if (ARCH.equals("aarch64")) {
            assertTrue(blas.libraryFile().contains("/aarch64-linux-gnu/"), "Debian's arm64 library: " + file);
        }
    }

    /** Lines of /proc/self/maps with execute permission (qemu-user shows the guest's own mappings). */
    private static List<String> executableMappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> {
                    String[] fields = line.split("\\s+"); // address, permissions (r-xp), offset, ...
                    return fields.length > 1 && fields[1].indexOf('x') >= 0;
                })
                .toList();
    }
}
