package dev.pdq.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher that the build leaves in target/bin (failsafe runs this after package): it runs the jar as
 * {@code java -jar} does, with arguments, stdin, stdout and exit codes untouched, keeps the JVM's own output off
 * stdout, honours JAVA and JAVA_HOME, finds the jar through a link and after the files are moved, and uses the
 * class-data archive only where it was made for the jar and the JVM.
 */
class LauncherIT {
    private static final long TIMEOUT_SECONDS = 300;
    private static Path target;
    private static Path launcher;
    private static Path jar;
    private static String java;

    @BeforeAll
    static void layout() {
        target = Path.of(System.getProperty("pdq.target", "target")).toAbsolutePath();
        launcher = target.resolve("bin/pdq");
        jar = target.resolve("pdq.jar");
        java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertTrue(Files.isExecutable(launcher), launcher + " is not there or not executable after package");
        assertTrue(Files.isRegularFile(jar), jar + " is missing");
    }

    record Run(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", " + stdout.length + " bytes on stdout, stderr:\n" + stderr;
        }
    }

    static Run run(List<String> command, Map<String, String> env, byte[] stdin) {
        try {
            ProcessBuilder b = new ProcessBuilder(command);
            b.environment().remove("PDQ_NODE");
            b.environment().remove("PDQ_CDS");
            b.environment().remove("PDQ_JAVA_OPTS");
            b.environment().putAll(env);
            Process p = b.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command did not read all of its input (a usage error): its exit code says what happened
            }
            assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "hung: " + command);
            return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> pdq(Path launcherPath, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcherPath.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> javaJar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void versionGoesToStderrAsWithJavaJar() {
        Run viaLauncher = run(pdq(launcher, "--version"), Map.of(), new byte[0]);
        Run viaJar = run(javaJar("--version"), Map.of(), new byte[0]);
        assertEquals(0, viaLauncher.exitCode(), viaLauncher::toString);
        assertEquals(0, viaLauncher.stdout().length, viaLauncher::toString);
        assertTrue(viaLauncher.stderr().startsWith("pdq "), viaLauncher::toString);
        assertEquals(viaJar.stderr(), viaLauncher.stderr());
    }

    /** Exit codes as the jar's; an argument with a space and a star reaches pdq as one word, not expanded. */
    @Test
    void argumentsAndExitCodesPassThrough() {
        Run usage = run(pdq(launcher, "dequantize", "--bits", "99"), Map.of(), new byte[0]);
        assertEquals(ExitCodes.USAGE, usage.exitCode(), usage::toString);
        assertTrue(usage.stderr().contains("--bits 99"), usage::toString);
        assertEquals(run(javaJar("dequantize", "--bits", "99"), Map.of(), new byte[0]).exitCode(), usage.exitCode());

        String odd = "/no such folder/*.pdqk";
        Run missing = run(pdq(launcher, "dequantize", "--model", odd, "--backend", "java"), Map.of(), new byte[0]);
        assertEquals(ExitCodes.FAILURE, missing.exitCode(), missing::toString);
        assertTrue(missing.stderr().contains(odd), missing::toString);
        assertEquals(0, missing.stdout().length);
    }

    /** The same bytes as java -jar, in the default and the node settings (the Java backend: no thread timing). */
    @Test
    void audioIsTheJarsAudio() {
        Run clip = run(javaJar("synth", "--seconds", "1"), Map.of(), new byte[0]);
        assertEquals(0, clip.exitCode(), clip::toString);
        Run codes = run(pdq(launcher, "quantize", "--bits", "4"), Map.of(), clip.stdout());
        assertEquals(0, codes.exitCode(), codes::toString);
        assertArrayEquals(run(javaJar("quantize", "--bits", "4"), Map.of(), clip.stdout()).stdout(), codes.stdout());

        String[] args = {"dequantize", "--backend", "java", "--output-format", "f32le"};
        Run expected = run(javaJar(args), Map.of(), codes.stdout());
        assertEquals(0, expected.exitCode(), expected::toString);
        assertTrue(expected.stdout().length >= 4 * 16000, "one second of f32le: " + expected);
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("PDQ_NODE", "1"))) {
            Run got = run(pdq(launcher, args), env, codes.stdout());
            assertEquals(0, got.exitCode(), got::toString);
            assertArrayEquals(expected.stdout(), got.stdout(), "launcher, " + env);
        }
    }

    /**
     * Output of the JVM itself goes to stderr: log warnings (here from a dynamic archive, which cannot hold
     * picocli's Java 5 classes: plain java writes them on stdout, the control shows) and -XX:+PrintFlagsFinal,
     * which also shows the settings of each mode.
     */
    @Test
    void theJvmsOwnOutputGoesToStderr(@TempDir Path tmp) {
        Run control = run(List.of(java, "-XX:ArchiveClassesAtExit=" + tmp.resolve("control.jsa"), "-jar",
                jar.toString(), "--version"), Map.of(), new byte[0]);
        Assumptions.assumeTrue(control.out().contains("[warning][cds]"),
                "this JVM writes no CDS warning for this jar: nothing to show");
        Run warned = run(pdq(launcher, "--version"), Map.of("PDQ_CDS", "0",
                "PDQ_JAVA_OPTS", "-XX:ArchiveClassesAtExit=" + tmp.resolve("dynamic.jsa")), new byte[0]);
        assertEquals(0, warned.exitCode(), warned::toString);
        assertEquals(0, warned.stdout().length, warned::toString);
        assertTrue(warned.stderr().contains("[warning][cds]"), warned::toString);

        Run tool = run(pdq(launcher, "--version"), Map.of("PDQ_JAVA_OPTS", "-XX:+PrintFlagsFinal"), new byte[0]);
        Run node = run(pdq(launcher, "--version"), Map.of("PDQ_NODE", "1", "PDQ_JAVA_OPTS", "-XX:+PrintFlagsFinal"),
                new byte[0]);
        for (Run r : List.of(tool, node)) {
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(0, r.stdout().length, r::toString);
            assertEquals("false", flag(r, "UsePerfData"), r::toString);
        }
        assertEquals("4", flag(tool, "TieredStopAtLevel"), "C2 for the tool: the solver's throughput");
        assertEquals("true", flag(tool, "UseG1GC"), "G1 maps the archive's heap objects: a quicker start");
        assertEquals("1", flag(node, "TieredStopAtLevel"));
        assertEquals("true", flag(node, "UseSerialGC"));
        assertEquals(String.valueOf(32L << 20), flag(node, "MaxHeapSize"));
    }

    /** The value -XX:+PrintFlagsFinal gives a flag. */
    private static String flag(Run r, String name) {
        return r.stderr().lines().filter(l -> l.contains(" " + name + " ")).findFirst()
                .map(l -> l.split("=")[1].trim().split("\\s+")[0]).orElse("(missing)");
    }

    /**
     * Copied to a folder with a space in its name and run through a link from elsewhere: the launcher finds the
     * jar and leaves the archive alone (it names the old path). Copied again, to a folder without one (JDK 17 does
     * not use an archive's application classes when the jar's path has a space: measured), bin/pdq-cds makes an
     * archive for the new place, which the launcher then maps, until the jar is newer than it.
     */
    @Test
    void movedLinkedAndReArchived(@TempDir Path tmp) throws IOException {
        Map<String, String> classLog = Map.of("PDQ_JAVA_OPTS", "-Xlog:class+load=info:stderr");
        Path spaced = install(tmp.resolve("my pdq"));
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("pdq"), spaced.resolve("bin/pdq"));
        Run moved = run(pdq(link, "--version"), classLog, new byte[0]);
        assertEquals(0, moved.exitCode(), moved::toString);
        assertEquals(0, moved.stdout().length, moved::toString);
        assertTrue(moved.stderr().contains(" dev.pdq.cli.Main source: "), moved::toString);
        assertFalse(fromArchive(moved), "the archive names the old path of the jar: not to be used");

        Path home = install(tmp.resolve("pdq2"));
        Run made = run(List.of(home.resolve("bin/pdq-cds").toString()), Map.of(), new byte[0]);
        assertEquals(0, made.exitCode(), made::toString);
        assertEquals(0, made.stdout().length, made::toString);
        Run archived = run(pdq(home.resolve("bin/pdq"), "--version"), classLog, new byte[0]);
        assertEquals(0, archived.exitCode(), archived::toString);
        assertTrue(fromArchive(archived), archived::toString);

        // a jar newer than the archive (rebuilt without it) runs without it
        Files.setLastModifiedTime(home.resolve("pdq.jar"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Run stale = run(pdq(home.resolve("bin/pdq"), "--version"), classLog, new byte[0]);
        assertEquals(0, stale.exitCode(), stale::toString);
        assertTrue(stale.stderr().contains(" dev.pdq.cli.Main source: "), stale::toString);
        assertFalse(fromArchive(stale), stale::toString);
    }

    /** bin, lib and the jar copied into {@code home}, times kept. */
    private static Path install(Path home) throws IOException {
        copyTree(target.resolve("bin"), home.resolve("bin"));
        copyTree(target.resolve("lib"), home.resolve("lib"));
        Files.copy(jar, home.resolve("pdq.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return home;
    }

    private static boolean fromArchive(Run r) {
        return r.stderr().lines().anyMatch(l -> l.contains(" dev.pdq.cli.Main source: shared objects file"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** JAVA wins over JAVA_HOME, which wins over the PATH; a java without a release file still runs pdq. */
    @Test
    void javaAndJavaHomeAreHonoured(@TempDir Path tmp) throws IOException {
        Path marks = tmp.resolve("marks.txt");
        Path homeJava = wrapper(tmp.resolve("home/bin/java"), "home", marks);
        Path otherJava = wrapper(tmp.resolve("other/java"), "java", marks);

        Run viaHome = run(pdq(launcher, "--version"), Map.of("JAVA_HOME", homeJava.getParent().getParent().toString()),
                new byte[0]);
        assertEquals(0, viaHome.exitCode(), viaHome::toString);
        assertEquals(List.of("home"), Files.readAllLines(marks));

        Run viaJava = run(pdq(launcher, "--version"), Map.of("JAVA_HOME", homeJava.getParent().getParent().toString(),
                "JAVA", otherJava.toString()), new byte[0]);
        assertEquals(0, viaJava.exitCode(), viaJava::toString);
        assertEquals(List.of("home", "java"), Files.readAllLines(marks));
        assertEquals(0, viaJava.stdout().length);
    }

    /** A java that notes its name in {@code marks}, then runs the real one. */
    private static Path wrapper(Path path, String name, Path marks) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\necho " + name + " >> '" + marks + "'\nexec '" + java + "' \"$@\"\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
