package dev.pdq.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds device profiles: built in (resources dev/pdq/device/profiles/NAME.properties), from a file, or chosen from
 * the machine. Keys and bounds are documented in device-config/README.md.
 */
public final class DeviceProfiles {

    /** Built-in profile names. */
    public static final String X86_64 = "x86_64";
    public static final String RPI4 = "rpi4";
    public static final String RPI5 = "rpi5";
    public static final String AARCH64 = "aarch64";
    public static final String GENERIC = "generic";

    private static final List<String> BUILT_IN = List.of(X86_64, RPI4, RPI5, AARCH64, GENERIC);
    private static final String RESOURCE_DIR = "/dev/pdq/device/profiles/";
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    /** /proc/cpuinfo is read up to this many bytes (a few KiB a core; far more than a sensor node has). */
    static final int MAX_CPUINFO_BYTES = 1 << 20;

    /** Characters of a "CPU implementer" or "CPU part" value kept for messages (a fuzz finding: keep reasons short). */
    static final int CORE_FIELD_CHARS = 16;
    /** ARM Ltd's implementer code and its core part numbers, as /proc/cpuinfo prints them. */
    static final String ARM_IMPLEMENTER = "0x41";
    static final String PART_CORTEX_A72 = "0xd08";
    static final String PART_CORTEX_A76 = "0xd0b";

    private DeviceProfiles() {
    }

    /** The profile chosen for this machine and why, for the log. */
    public record Detection(DeviceProfile profile, String reason) {
    }

    /** Names of the built-in profiles. */
    public static List<String> builtInNames() {
        return BUILT_IN;
    }

    /** A built-in profile by name. */
    public static DeviceProfile builtIn(String name) throws DeviceProfileException {
        String source = "built-in profile " + name;
        if (!BUILT_IN.contains(name)) {
            throw new DeviceProfileException(source, 0, null,
                    "no such built-in profile (built-in: " + String.join(", ", BUILT_IN) + ")");
        }
        try (InputStream in = DeviceProfiles.class.getResourceAsStream(RESOURCE_DIR + name + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("resource of " + source + " is missing from the jar");
            }
            return ProfileParser.parse(name, source, in.readNBytes(ProfileParser.MAX_BYTES + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    /** A profile file; its name is the file name without ".properties". */
    public static DeviceProfile load(Path file) throws DeviceProfileException {
        String source = file.toString();
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(ProfileParser.MAX_BYTES + 1); // bounded before anything is parsed
        } catch (IOException e) {
            throw new DeviceProfileException(source, "cannot read: " + e, e);
        }
        String fileName = file.getFileName() == null ? source : file.getFileName().toString();
        String name = fileName.endsWith(".properties")
                ? fileName.substring(0, fileName.length() - ".properties".length()) : fileName;
        return ProfileParser.parse(name, source, content);
    }

    /** What {@code --device} takes: a built-in name, else a file path. */
    public static DeviceProfile resolve(String nameOrPath) throws DeviceProfileException {
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath);
        }
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p)) {
            throw new DeviceProfileException(nameOrPath, 0, null,
                    "neither a built-in profile (" + String.join(", ", BUILT_IN) + ") nor an existing file");
        }
        return load(p);
    }

    /**
     * Chooses a built-in profile for this machine from os.arch and, on 64-bit ARM only, /proc/cpuinfo (nothing else
     * looks at it, and reading it costs start-up time: the kernel writes some kilobytes a core).
     */
    public static Detection detect() {
        String arch = System.getProperty("os.arch", "");
        return detect(arch, isArm64(arch) ? readCpuinfo() : null);
    }

    private static boolean isArm64(String osArch) {
        String arch = osArch.strip().toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64");
    }

    /**
     * Chooses a built-in profile: x86_64/amd64 gives x86_64; aarch64/arm64 gives rpi4 when every core /proc/cpuinfo
     * lists is an ARM Cortex-A72 (implementer 0x41, part 0xd08), rpi5 when every core is a Cortex-A76 (part
     * 0xd0b), and aarch64 otherwise; any other architecture gives generic.
     *
     * @param osArch  the os.arch system property
     * @param cpuinfo the text of /proc/cpuinfo, or null where it could not be read
     */
    public static Detection detect(String osArch, String cpuinfo) {
        String arch = osArch == null ? "" : osArch.strip().toLowerCase(Locale.ROOT);
        try {
            switch (arch) {
                case "x86_64", "amd64":
                    return new Detection(builtIn(X86_64), "os.arch is " + arch);
                case "aarch64", "arm64":
                    return detectArm(arch, cpuinfo);
                default:
                    return new Detection(builtIn(GENERIC),
                            "os.arch '" + ProfileParser.shorten(arch) + "' has no specific profile");
            }
        } catch (DeviceProfileException e) {
            throw new IllegalStateException("a built-in profile is invalid: " + e.getMessage(), e);
        }
    }

    private static Detection detectArm(String arch, String cpuinfo) throws DeviceProfileException {
        if (cpuinfo == null) {
            return new Detection(builtIn(AARCH64), "os.arch is " + arch + "; /proc/cpuinfo could not be read");
        }
        Set<String> cores = armCores(cpuinfo);
        String found = "os.arch is " + arch + ", /proc/cpuinfo lists cores " + cores;
        if (cores.equals(Set.of(ARM_IMPLEMENTER + "/" + PART_CORTEX_A72))) {
            return new Detection(builtIn(RPI4), found + " (Cortex-A72, as on a Raspberry Pi 4)");
        }
        if (cores.equals(Set.of(ARM_IMPLEMENTER + "/" + PART_CORTEX_A76))) {
            return new Detection(builtIn(RPI5), found + " (Cortex-A76, as on a Raspberry Pi 5)");
        }
        return new Detection(builtIn(AARCH64), found + ", none of them a specific profile");
    }

    /**
     * The distinct "implementer/part" pairs of /proc/cpuinfo (lower case), e.g. [0x41/0xd08]. Each processor block
     * lists "CPU implementer" before "CPU part"; part numbers mean something only together with the implementer.
     * Values are cut to {@link #CORE_FIELD_CHARS} (real ones are 4 or 5 characters), so a pair quoted in the
     * detection's reason takes at most 2 * (CORE_FIELD_CHARS + 3) + 1 characters whatever the file holds.
     */
    static Set<String> armCores(String cpuinfo) {
        Set<String> cores = new TreeSet<>();
        String implementer = "?";
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = ProfileParser.shorten(line.substring(colon + 1).strip().toLowerCase(Locale.ROOT),
                    CORE_FIELD_CHARS);
            if (key.equals("CPU implementer")) {
                implementer = value;
            } else if (key.equals("CPU part")) {
                cores.add(implementer + "/" + value);
            }
        }
        return cores;
    }

    private static String readCpuinfo() {
        try (InputStream in = Files.newInputStream(CPUINFO)) {
            return new String(in.readNBytes(MAX_CPUINFO_BYTES), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
