package dev.pdq.device;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the device-profile loader (Jazzer; see docs/HARDENING.md). Without JAZZER_FUZZ they replay
 * the seeds and past findings under src/test/resources/dev/pdq/device/ProfileFuzzTestInputs/METHOD/.
 *
 * <p>Failure: any exception but {@link DeviceProfileException}, a hang (the timeout), or a profile accepted with
 * a field outside its documented bounds.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class ProfileFuzzTest {

    /** A hang guard per input: parsing 64 KiB of text takes well under a millisecond. */
    static final int TIMEOUT_SECONDS = 10;

    @FuzzTest(maxDuration = "30s")
    @Timeout(TIMEOUT_SECONDS)
    void profile(byte[] content) {
        DeviceProfile p;
        try {
            p = ProfileParser.parse("fuzz", "fuzz.properties", content);
        } catch (DeviceProfileException refused) {
            assertTrue(refused.getMessage().startsWith("device profile fuzz.properties"), refused::getMessage);
            return;
        }
        assertTrue(content.length <= ProfileParser.MAX_BYTES, "accepted a profile over the size limit");
        assertTrue(p.blasThreads() >= 0 && p.blasThreads() <= ProfileParser.MAX_THREADS, p::summary);
        assertTrue(p.batch() >= 1 && p.batch() <= ProfileParser.MAX_BATCH, p::summary);
        assertTrue(ProfileParser.SHIFTS.contains(p.shifts()), p::summary);
        p.iterations().ifPresent(l -> assertTrue(l >= 1 && l <= ProfileParser.MAX_ITERATIONS, p::summary));
        long heap = p.jvmHeapBytes();
        assertTrue(heap >= ProfileParser.MIN_HEAP && heap <= ProfileParser.MAX_HEAP, p::summary);
        p.blasLibrary().ifPresent(lib -> assertTrue(lib.isAbsolute(), p::summary));
        assertEquals(p.summary(), p.summary());
    }

    /** The /proc/cpuinfo reader of detection: any text gives one of the built-in profiles and a reason. */
    @FuzzTest(maxDuration = "30s")
    @Timeout(TIMEOUT_SECONDS)
    void cpuinfo(byte[] text) {
        String cpuinfo = new String(text, java.nio.charset.StandardCharsets.UTF_8);
        DeviceProfiles.Detection d = DeviceProfiles.detect("aarch64", cpuinfo);
        assertTrue(Set.of(DeviceProfiles.RPI4, DeviceProfiles.RPI5, DeviceProfiles.AARCH64)
                .contains(d.profile().name()), d::reason);
        assertTrue(d.reason().length() < 200 + 70 * DeviceProfiles.armCores(cpuinfo).size(), d::reason);
    }
}
