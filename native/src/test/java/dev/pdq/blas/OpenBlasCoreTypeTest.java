package dev.pdq.blas;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A requested core type reaches OpenBLAS (through libc setenv before the library loads). It needs a process in
 * which OpenBLAS is not loaded yet, so the check runs in a fresh JVM.
 */
@Tag("arm64")
class OpenBlasCoreTypeTest {

    /**
     * The JVM start and OpenBLAS load take well under a second natively and about 5 s under qemu (the arm64
     * profile), longer on a loaded machine; this is a hang guard only.
     */
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    @Test
    void requestedCoreTypeIsTheCoreOpenBlasRuns() throws IOException, InterruptedException {
        OpenBlas here = (OpenBlas) BlasBackends.nativeBlas();
        assumeTrue(here.config() != null && here.config().contains("DYNAMIC_ARCH"),
                "only a DYNAMIC_ARCH build can switch cores: " + here.config());
        String arch = System.getProperty("os.arch");
        String core;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            core = "Prescott".equalsIgnoreCase(here.coreName()) ? "Nehalem" : "Prescott";
        } else if (arch.equals("aarch64")) {
            core = "ARMV8".equalsIgnoreCase(here.coreName()) ? "CORTEXA53" : "ARMV8";
        } else {
            assumeTrue(false, "no known core names for " + arch);
            return;
        }
        Process child = new ProcessBuilder(TestJvm.java(), "-cp", TestJvm.classPath(),
                CoreTypeProbe.class.getName(), core)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, child.exitValue(), "probe JVM failed; its stderr is above");
        assertTrue(core.equalsIgnoreCase(out), "requested core " + core + ", OpenBLAS reports " + out);
    }
}
