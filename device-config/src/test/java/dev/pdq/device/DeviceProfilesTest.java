package dev.pdq.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceProfilesTest {

    @TempDir
    Path dir;

    static Iterable<String> builtInNames() {
        return DeviceProfiles.builtInNames();
    }

    @ParameterizedTest
    @MethodSource("builtInNames")
    void everyBuiltInLoadsAndResolvesByName(String name) throws Exception {
        DeviceProfile p = DeviceProfiles.builtIn(name);
        assertEquals(name, p.name());
        assertEquals("built-in profile " + name, p.source());
        assertEquals(p, DeviceProfiles.resolve(name));
        assertTrue(p.batch() >= 1);
        assertTrue(p.jvmHeapBytes() >= 8L << 20 && p.jvmHeapBytes() <= 64L << 20, p.jvmHeap());
        assertFalse(p.summary().isEmpty());
    }

    @Test
    void builtInValues() throws Exception {
        DeviceProfile x86 = DeviceProfiles.builtIn("x86_64");
        assertEquals(Optional.empty(), x86.blasCoreType());
        assertEquals(Optional.empty(), x86.blasLibrary());
        assertEquals(OptionalInt.empty(), x86.iterations());

        DeviceProfile rpi4 = DeviceProfiles.builtIn("rpi4");
        assertEquals(Optional.of("CORTEXA72"), rpi4.blasCoreType());
        assertEquals(4, rpi4.blasThreads());
        assertEquals(32L << 20, rpi4.jvmHeapBytes());

        assertEquals(Optional.of("NEOVERSEN1"), DeviceProfiles.builtIn("rpi5").blasCoreType());
        assertEquals(Optional.of("ARMV8"), DeviceProfiles.builtIn("aarch64").blasCoreType());
        assertEquals(Optional.empty(), DeviceProfiles.builtIn("generic").blasCoreType());
    }

    @Test
    void unknownBuiltInIsAnError() {
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.builtIn("rpi3"));
        assertTrue(e.getMessage().contains("rpi3") && e.getMessage().contains("rpi4"), e.getMessage());
    }

    @Test
    void loadsFileWithEveryKeyCommentsAndCrlf() throws Exception {
        Path f = dir.resolve("node7.properties");
        Files.writeString(f, "# a comment\r\n! another\r\n\r\n"
                + "description = field node 7\r\n"
                + "blas.library = /usr/lib/aarch64-linux-gnu/libopenblas.so.0\r\n"
                + "blas.threads=2\r\n"
                + "blas.coretype = CORTEXA53\r\n"
                + "batch = 4\r\n"
                + "iterations = 25\r\n"
                + "shifts = 8\r\n"
                + "jvm.heap = 1g\r\n", StandardCharsets.UTF_8);
        DeviceProfile p = DeviceProfiles.load(f);
        assertEquals(new DeviceProfile("node7", f.toString(), "field node 7",
                Optional.of(Path.of("/usr/lib/aarch64-linux-gnu/libopenblas.so.0")), 2, Optional.of("CORTEXA53"), 4,
                OptionalInt.of(25), 8, "1g"), p);
        assertEquals(1L << 30, p.jvmHeapBytes());
        assertEquals(p, DeviceProfiles.resolve(f.toString()));
    }

    @Test
    void optionalKeysDefault() throws Exception {
        DeviceProfile p = DeviceProfiles.load(write(MINIMAL));
        assertEquals(1, p.shifts());
        assertEquals(OptionalInt.empty(), p.iterations());
        assertEquals(Optional.empty(), p.blasLibrary());
        assertEquals(Optional.empty(), p.blasCoreType());
    }

    @Test
    void resolveNamesNeitherBuiltInNorFile() {
        String missing = dir.resolve("nope.properties").toString();
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.resolve(missing));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("built-in"), e.getMessage());
    }

    @Test
    void unreadableFileIsAnError() {
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.load(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("cannot read"), e.getMessage());
    }

    // ---- invalid profiles: one per problem, each naming file, line and key ----

    static final String MINIMAL = "description = d\nblas.threads = 1\nbatch = 1\njvm.heap = 48m\n";

    /** MINIMAL with one more line (line 5). */
    private void assertInvalidExtraLine(String line, String key, String... fragments) throws IOException {
        assertInvalid(MINIMAL + line + "\n", 5, key, fragments);
    }

    /** MINIMAL with the line of {@code key} (lines 1 to 4) replaced. */
    private void assertInvalidValue(String key, String value, String... fragments) throws IOException {
        String[] lines = MINIMAL.split("\n");
        int lineNo = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(key + " ")) {
                lines[i] = key + " = " + value;
                lineNo = i + 1;
            }
        }
        assertTrue(lineNo > 0, key);
        assertInvalid(String.join("\n", lines) + "\n", lineNo, key, fragments);
    }

    private void assertInvalid(String text, int line, String key, String... fragments) throws IOException {
        Path f = write(text);
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.load(f));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        if (line > 0) {
            assertTrue(e.getMessage().contains("line " + line), e.getMessage());
        }
        if (key != null) {
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "profile", ".properties");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void unknownKey() throws IOException {
        assertInvalidExtraLine("blas.thread = 2", "blas.thread", "unknown key", "blas.threads");
    }

    @Test
    void duplicateKey() throws IOException {
        assertInvalidExtraLine("batch = 2", "batch", "duplicate", "line 3");
    }

    @Test
    void lineWithoutEquals() throws IOException {
        assertInvalidExtraLine("batch 2", null, "expected 'key = value'");
    }

    @Test
    void emptyKey() throws IOException {
        assertInvalidExtraLine(" = 2", null, "empty key");
    }

    @Test
    void emptyValues() throws IOException {
        for (String key : ProfileParser.KEYS.keySet()) {
            assertInvalidExtraLine(key + " =   ", key, "empty value");
        }
    }

    @Test
    void emptyCoreTypeIsRejectedNotIgnored() throws IOException {
        assertInvalidExtraLine("blas.coretype =", "blas.coretype", "empty value");
    }

    @Test
    void missingRequiredKeys() throws IOException {
        for (String key : new String[] {"description", "blas.threads", "batch", "jvm.heap"}) {
            StringBuilder text = new StringBuilder();
            for (String line : MINIMAL.split("\n")) {
                if (!line.startsWith(key + " ")) {
                    text.append(line).append('\n');
                }
            }
            assertInvalid(text.toString(), 0, key, "missing required key");
        }
    }

    /**
     * One bad value: key | value | what the message says. A key of MINIMAL gets its line replaced (lines 1 to 4),
     * an optional key a line of its own (line 5).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "blas.threads | -1              | not an integer in 0..256",
        "blas.threads | 257             | outside 0..256",
        "blas.threads | two             | not an integer",
        "blas.threads | 1.5             | not an integer",
        "blas.threads | 99999999999     | not an integer",
        "batch        | 0               | outside 1..4096",
        "batch        | 4097            | outside 1..4096",
        "batch        | +3              | not an integer",
        "jvm.heap     | 48              | not a heap size",
        "jvm.heap     | 48mb            | not a heap size",
        "jvm.heap     | 0m              | not a heap size",
        "jvm.heap     | 4m              | outside 8m..64g",
        "jvm.heap     | 65g             | outside 8m..64g",
        "iterations   | 0               | outside 1..1000000",
        "iterations   | 1000001         | outside 1..1000000",
        "iterations   | many            | not an integer",
        "blas.library | libopenblas.so.0 | not an absolute path"})
    void valuesOutOfRangeOrMalformed(String key, String value, String fragment) throws IOException {
        if (MINIMAL.contains(key + " = ")) {
            assertInvalidValue(key, value, fragment);
        } else {
            assertInvalidExtraLine(key + " = " + value, key, fragment);
        }
    }

    @Test
    void shiftsNotAPowerOfTwoUpToEight() throws IOException {
        for (String v : new String[] {"0", "3", "16", "x"}) {
            assertInvalidExtraLine("shifts = " + v, "shifts", "not one of 1, 2, 4, 8");
        }
    }

    @Test
    void badCoreTypes() throws IOException {
        for (String v : new String[] {"cortexa72", "CORTEX-A72", "1ARMV8", "A".repeat(33)}) {
            assertInvalidExtraLine("blas.coretype = " + v, "blas.coretype", "not an OpenBLAS core name");
        }
    }

    @Test
    void libraryPathWithANul() throws IOException {
        assertInvalidExtraLine("blas.library = /usr/lib/\u0000x", "blas.library", "not a valid path");
    }

    @Test
    void fileLargerThanTheBoundIsRefusedBeforeParsing() throws IOException {
        String padding = "# " + "x".repeat(ProfileParser.MAX_BYTES) + "\n";
        assertInvalid(MINIMAL + padding, 0, null, "larger than the limit of 65536 bytes");
    }

    @Test
    void invalidUtf8() throws IOException {
        Path f = dir.resolve("bad.properties");
        byte[] text = (MINIMAL + "# \u00e9\n").getBytes(StandardCharsets.UTF_8);
        text[text.length - 2] = (byte) 0xC3; // lead byte followed by a newline: malformed
        text[text.length - 3] = (byte) 0xC3;
        Files.write(f, text);
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.load(f));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void controlCharactersStayOutOfMessages() throws IOException {
        Path f = write(MINIMAL + "\u001b[31mkey = v\n");
        DeviceProfileException e = assertThrows(DeviceProfileException.class, () -> DeviceProfiles.load(f));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    // ---- detection ----

    static String cpuinfo(String implementer, String... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            sb.append("processor\t: ").append(i).append('\n')
                    .append("BogoMIPS\t: 108.00\n")
                    .append("Features\t: fp asimd evtstrm crc32 cpuid\n")
                    .append("CPU implementer\t: ").append(implementer).append('\n')
                    .append("CPU architecture: 8\n")
                    .append("CPU variant\t: 0x0\n")
                    .append("CPU part\t: ").append(parts[i]).append('\n')
                    .append("CPU revision\t: 3\n\n");
        }
        return sb.append("Hardware\t: BCM2835\nModel\t\t: Raspberry Pi\n").toString();
    }

    @Test
    void detectsX86() {
        for (String arch : new String[] {"amd64", "x86_64", "AMD64"}) {
            DeviceProfiles.Detection d = DeviceProfiles.detect(arch, null);
            assertEquals("x86_64", d.profile().name());
            assertTrue(d.reason().contains(arch.toLowerCase()), d.reason());
        }
    }

    @Test
    void detectsRaspberryPi4() {
        DeviceProfiles.Detection d = DeviceProfiles.detect("aarch64", cpuinfo("0x41", "0xd08", "0xd08", "0xd08", "0xd08"));
        assertEquals("rpi4", d.profile().name());
        assertTrue(d.reason().contains("0xd08") && d.reason().contains("Cortex-A72"), d.reason());
    }

    @Test
    void detectsRaspberryPi5() {
        DeviceProfiles.Detection d = DeviceProfiles.detect("aarch64", cpuinfo("0x41", "0xd0b", "0xd0b", "0xd0b", "0xd0b"));
        assertEquals("rpi5", d.profile().name());
        assertTrue(d.reason().contains("0xd0b") && d.reason().contains("Cortex-A76"), d.reason());
    }

    @Test
    void otherArmCoresGetTheGenericAarch64Profile() {
        // Cortex-A53 (Pi 3), a big.LITTLE mix, a different implementer reusing the part number, no part lines
        String[] infos = {cpuinfo("0x41", "0xd03", "0xd03"), cpuinfo("0x41", "0xd08", "0xd08", "0xd03", "0xd03"),
                cpuinfo("0x51", "0xd08"), "processor : 0\n"};
        for (String info : infos) {
            DeviceProfiles.Detection d = DeviceProfiles.detect("aarch64", info);
            assertEquals("aarch64", d.profile().name(), d.reason());
        }
        assertEquals("aarch64", DeviceProfiles.detect("arm64", cpuinfo("0x41", "0xd0c")).profile().name());
    }

    @Test
    void unreadableCpuinfoOnArm() {
        DeviceProfiles.Detection d = DeviceProfiles.detect("aarch64", null);
        assertEquals("aarch64", d.profile().name());
        assertTrue(d.reason().contains("could not be read"), d.reason());
    }

    @Test
    void otherArchitecturesGetGeneric() {
        for (String arch : new String[] {"arm", "riscv64", "ppc64le", "", null}) {
            DeviceProfiles.Detection d = DeviceProfiles.detect(arch, cpuinfo("0x41", "0xd08"));
            assertEquals("generic", d.profile().name(), d.reason());
        }
    }

    @Test
    void armCoresPairsImplementerWithPart() {
        assertEquals(java.util.Set.of("0x41/0xd08", "0x41/0xd03"),
                DeviceProfiles.armCores(cpuinfo("0x41", "0xd08", "0xd03", "0xD08")));
    }

    @Test
    void detectsThisMachine() {
        DeviceProfiles.Detection d = DeviceProfiles.detect();
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertEquals("x86_64", d.profile().name());
        }
        assertFalse(d.reason().isEmpty());
    }
}
