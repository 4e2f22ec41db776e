package dev.pdq.cli;

import dev.pdq.blas.BlasChoice;
import picocli.CommandLine.Option;

/** Which BLAS the solvers run on: shared by the pdq and pdq-train commands that solve. */
public final class BackendOptions {
    @Option(names = "--backend", paramLabel = "auto|native|java", defaultValue = "auto",
            converter = Names.class, completionCandidates = Names.class,
            description = "BLAS backend (default: ${DEFAULT-VALUE}): native is OpenBLAS, java the pure-Java one.")
    BlasChoice backend;

    @Option(names = "--blas-library", paramLabel = "PATH",
            description = "OpenBLAS shared library to load (default: the device profile's, else PDQ_BLAS_LIBRARY,"
                    + " else the system's).")
    String blasLibrary;

    public BlasChoice backend() {
        return backend;
    }

    /** The OpenBLAS library given, or null. */
    public String blasLibrary() {
        return blasLibrary;
    }

    /** auto, native, java in any case. */
    static final class Names extends EnumConverter<BlasChoice> {
        Names() {
            super(BlasChoice.values());
        }
    }
}
