package dev.pdq.platform;

import dev.pdq.blas.TestJvm;
import dev.pdq.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ARM device profiles take effect: `pdq info --device NAME` in a fresh JVM (OpenBLAS reads the core type once,
 * when it loads) reports the core type and thread count of the profile from openblas_get_corename and
 * openblas_get_num_threads. Runs on aarch64 only (in CI: the arm64 profile, under qemu, with the qemu CPU model of
 * the board: an x86-64 OpenBLAS knows none of these cores). The Pi 5's NEOVERSEN1 is checked on an emulated
 * Cortex-A76, whose MIDR Debian's OpenBLAS 0.3.21 does not recognize (it would fall back to ARMV8 on its own).
 */
@Tag("arm64")
class DeviceProfilesApplyTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "rpi4,    cortex-a72, 'core cortexa72, 4 threads'",
        "rpi5,    cortex-a76, 'core neoversen1, 4 threads'",
        "aarch64, cortex-a76, 'core armv8, '",
    })
    void profileSetsTheCoreTypeAndThreads(String profile, String qemuCpu, String expected)
            throws IOException, InterruptedException {
        assumeTrue(TestJvm.isAarch64(), "ARM core types exist only in an aarch64 OpenBLAS");
        String info = ChildJvm.run(ChildJvm.pdq(TestJvm.java(), "info", "--device", profile, "--backend", "native"),
                Map.of("PDQ_ARM64_CPU", qemuCpu), dir);
        assertTrue(info.contains("profile:  " + profile + " "), "info names the profile:\n" + info);
        assertTrue(info.contains("backend:  native: "), "info names the native backend:\n" + info);
        assertTrue(info.contains(expected), "OpenBLAS reports '" + expected + "':\n" + info);
        assertTrue(info.contains("/aarch64-linux-gnu/libopenblas.so.0"), "Debian's arm64 OpenBLAS:\n" + info);
    }
}
