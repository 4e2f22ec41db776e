package dev.pdq.engine;

import dev.pdq.blas.BlasChoice;
import dev.pdq.stream.DequantizerSettings;

import java.util.Objects;

/**
 * What the solver runs with, as a user asks for it: which model, which machine profile, which BLAS. {@link Engine}
 * resolves it.
 *
 * @param model       an operator file, "dct" for K = DCT, or null for the built-in model of the bit depth
 * @param device      a device profile's built-in name or .properties file, or null to detect the machine's
 * @param backend     the BLAS backend
 * @param blasLibrary the OpenBLAS library to load, or null for the profile's (else the one looked up)
 * @param solverThreads threads a stream's frames are solved on, or null for {@link Engine#solverThreads}'s choice
 */
public record EngineSettings(String model, String device, BlasChoice backend, String blasLibrary,
                             Integer solverThreads) {
    /** The built-in model, the detected profile, the backend chosen automatically. */
    public static final EngineSettings DEFAULT = new EngineSettings(null, null, BlasChoice.AUTO, null);

    /** With the solver threads chosen from the profile. */
    public EngineSettings(String model, String device, BlasChoice backend, String blasLibrary) {
        this(model, device, backend, blasLibrary, null);
    }

    public EngineSettings {
        Objects.requireNonNull(backend, "backend");
        if (solverThreads != null) {
            DequantizerSettings.checkWorkers(solverThreads);
        }
    }
}
