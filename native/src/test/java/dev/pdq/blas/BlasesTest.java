package dev.pdq.blas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlasesTest {

    @TempDir
    Path dir;

    @Test
    void javaChoiceGivesTheJavaBackend() {
        Blas blas = Blases.select(BlasChoice.JAVA);
        assertInstanceOf(JavaBlas.class, blas);
        assertEquals("java", blas.name());
    }

    @Test
    void instancesAreMemoizedPerConfiguration() {
        BlasOptions three = BlasOptions.DEFAULT.withThreads(3);
        Blas first = Blases.select(BlasChoice.JAVA, three);
        assertSame(first, Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT.withThreads(3)));
        assertNotSame(first, Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT.withThreads(1)));
        assertEquals(3, ((JavaBlas) first).threads());
    }

    @Test
    void nativeWithMissingExplicitPathFailsNamingThePath() {
        String path = dir.resolve("no-such-libopenblas.so").toString();
        BlasUnavailableException e = assertThrows(BlasUnavailableException.class,
                () -> Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT.withLibraryPath(path)));
        assertEquals(1, e.attempts().size(), "an explicit path is the only place tried: " + e.attempts());
        assertTrue(e.getMessage().contains(path + " (explicit path): no such file"), e.getMessage());
    }

    @Test
    void nativeWithAFileThatIsNoLibraryFailsNamingThePath() throws IOException {
        Path fake = Files.writeString(dir.resolve("libfake.so"), "not an ELF file");
        BlasUnavailableException e = assertThrows(BlasUnavailableException.class,
                () -> Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT.withLibraryPath(fake.toString())));
        assertTrue(e.getMessage().contains(fake + " (explicit path): cannot load"), e.getMessage());
    }

    @Test
    void autoFallsBackToJavaWhenTheNativeLibraryCannotLoad() {
        String path = dir.resolve("missing.so").toString();
        Blas blas = Blases.select(BlasChoice.AUTO, BlasOptions.DEFAULT.withLibraryPath(path));
        assertInstanceOf(JavaBlas.class, blas);
        assertSame(blas, Blases.select(BlasChoice.AUTO, BlasOptions.DEFAULT.withLibraryPath(path)),
                "the fallback is memoized, so its warning is logged once");
    }

    @Test
    void nativeChoiceLoadsOpenBlasAndDescribesIt() {
        Blas blas = BlasBackends.nativeBlas();
        OpenBlas open = assertInstanceOf(OpenBlas.class, blas);
        assertEquals("native", blas.name());
        assertTrue(blas.description().contains(open.libraryFile()), blas.description());
        assertTrue(blas.description().contains("core "), blas.description());
    }

    @Test
    void autoChoosesNativeWhenItLoads() {
        BlasBackends.nativeBlas();
        assertInstanceOf(OpenBlas.class, Blases.select(BlasChoice.AUTO));
    }

    /** Direct mapping binds once per JVM: a second instance on the same library (by its file name) works. */
    @Test
    void aSecondInstanceOnTheSameLibraryWorks() {
        OpenBlas first = (OpenBlas) BlasBackends.nativeBlas();
        Blas second = Blases.select(BlasChoice.NATIVE, BlasOptions.DEFAULT.withLibraryPath(first.libraryFile()));
        assertNotSame(first, second);
        assertEquals(first.libraryFile(), ((OpenBlas) second).libraryFile());
        var c = second.allocate(1);
        var a = second.allocate(1);
        a.put(0, 3f);
        second.sgemm(Transpose.NO, Transpose.NO, 1, 1, 1, 2f, a, 0, 1, a, 0, 1, 0f, c, 0, 1);
        assertEquals(18f, c.get(0));
    }

    /**
     * A second, different CBLAS library cannot be bound in the same JVM: a copy of the library file is a distinct
     * library to the dynamic linker (another inode), so its cblas_sgemm is at another address.
     */
    @Test
    void aDifferentLibraryIsRefusedClearly() throws IOException {
        OpenBlas first = (OpenBlas) BlasBackends.nativeBlas();
        Path copy = Files.copy(Path.of(first.libraryFile()), dir.resolve("libopenblas-copy.so"));
        BlasUnavailableException e = assertThrows(BlasUnavailableException.class,
                () -> OpenBlas.load(BlasOptions.DEFAULT.withLibraryPath(copy.toString())));
        assertTrue(e.getMessage().contains("already bound to " + first.libraryFile()), e.getMessage());
        assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
    }

    @Test
    void choiceParsesNamesInAnyCase() {
        assertEquals(BlasChoice.NATIVE, BlasChoice.parse("Native"));
        assertEquals(BlasChoice.AUTO, BlasChoice.parse(" auto "));
        assertEquals(BlasChoice.JAVA, BlasChoice.parse("JAVA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlasChoice.parse("mkl"));
        assertTrue(e.getMessage().contains("'mkl'"), e.getMessage());
    }

    @Test
    void optionsRejectNegativeThreads() {
        assertThrows(IllegalArgumentException.class, () -> BlasOptions.DEFAULT.withThreads(-1));
    }

    @Test
    void optionsRejectACoreTypeThatIsNoName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlasOptions.DEFAULT.withCoreType("Haswell; rm"));
        assertTrue(e.getMessage().contains("'Haswell; rm'"), e.getMessage());
    }

    @Test
    void optionsRejectABlankLibraryPath() {
        assertThrows(IllegalArgumentException.class, () -> BlasOptions.DEFAULT.withLibraryPath(" "));
    }
}
