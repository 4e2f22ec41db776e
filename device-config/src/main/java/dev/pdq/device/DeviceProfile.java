package dev.pdq.device;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings for one target machine, immutable, every field already validated by {@link DeviceProfiles}.
 *
 * @param name         profile name: the built-in name, or the file name without ".properties"
 * @param source       where it was read from, for messages ("built-in profile rpi4", or the file path)
 * @param description  one line for humans ({@code description})
 * @param blasLibrary  absolute path of the BLAS library ({@code blas.library}); empty: search the system's usual names
 * @param blasThreads  BLAS threads ({@code blas.threads}); 0 leaves OpenBLAS's own default (one a core)
 * @param blasCoreType OpenBLAS core type ({@code blas.coretype}, e.g. CORTEXA72), exported as OPENBLAS_CORETYPE
 *                     before the library loads; empty: leave OpenBLAS's own detection
 * @param batch        frames per batch ({@code batch})
 * @param iterations   iteration count ({@code iterations}); empty: the model's trained L
 * @param shifts       recommended cycle-spinning grid count S ({@code shifts}), one of 1, 2, 4, 8; default 1
 * @param jvmHeap      heap hint in -Xmx syntax ({@code jvm.heap}, e.g. "48m"), for the launcher and the docs
 */
public record DeviceProfile(String name, String source, String description, Optional<Path> blasLibrary,
                            int blasThreads, Optional<String> blasCoreType, int batch, OptionalInt iterations,
                            int shifts, String jvmHeap) {

    public DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(blasLibrary, "blasLibrary");
        Objects.requireNonNull(blasCoreType, "blasCoreType");
        Objects.requireNonNull(iterations, "iterations");
        Objects.requireNonNull(jvmHeap, "jvmHeap");
    }

    /** The heap hint in bytes (k, m, g are powers of 1024, as for -Xmx). */
    public long jvmHeapBytes() {
        return ProfileParser.heapBytes(jvmHeap);
    }

    /** One line for the log and {@code pdq info}. */
    public String summary() {
        return name + " (" + description + "): blas.library=" + blasLibrary.map(Path::toString).orElse("<search>")
                + ", blas.threads=" + (blasThreads == 0 ? "<OpenBLAS default>" : blasThreads)
                + ", blas.coretype=" + blasCoreType.orElse("<OpenBLAS detection>")
                + ", batch=" + batch
                + ", iterations=" + (iterations.isPresent() ? iterations.getAsInt() : "<model's L>")
                + ", shifts=" + shifts + ", jvm.heap=" + jvmHeap;
    }
}
