package dev.pdq.train.loop;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk and a read-only folder while the trainer writes a model or a checkpoint (issue 8): a real small tmpfs,
 * mounted in a private mount namespace ({@code unshare -rm}), in which {@link DiskFaultProbe} runs a training run
 * and then fills the disk or remounts it read-only. chmod would not do: the tests run as root. Skipped where
 * unshare or mount is not allowed (a container without user namespaces).
 */
class DiskFaultTest {
    static final String TMPFS_SIZE = "512k";

    @TempDir
    Path dir;

    private static int sh(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return p.exitValue();
    }

    @Test
    void fullDiskAndReadOnlyFolderLeaveThePreviousFilesIntact() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("mnt"));
        Path probeLog = dir.resolve("probe.log");
        int canMount;
        try {
            canMount = sh(probeLog, "unshare", "-rm", "sh", "-c",
                    "mount -t tmpfs -o size=64k tmpfs \"$0\" && mount -o remount,ro \"$0\"", mount.toString());
        } catch (IOException noUnshare) {
            canMount = -1;
        }
        Assumptions.assumeTrue(canMount == 0, () -> "skipped: cannot mount a tmpfs in a private namespace here"
                + " (unshare -rm; mount): " + read(probeLog));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("faults.log");
        int code = sh(log, "unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=" + TMPFS_SIZE + " tmpfs \"$0\" && exec \"$1\" -XX:TieredStopAtLevel=1 -cp"
                        + " \"$2\" " + DiskFaultProbe.class.getName() + " \"$0\"",
                mount.toString(), java, System.getProperty("java.class.path"));
        String out = read(log);
        System.err.println("DiskFaultTest:\n" + out);
        assertEquals(0, code, out);
        List<String> faults = out.lines().filter(l -> l.contains(" | ")).toList();
        assertEquals(6, faults.size(), "full and read-only x epoch end, checkpoint, model:\n" + out);
        assertTrue(faults.stream().filter(l -> l.startsWith("full")).allMatch(l -> l.contains("No space left")), out);
        assertTrue(faults.stream().filter(l -> l.startsWith("read-only")).allMatch(l -> l.contains("Read-only")), out);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
