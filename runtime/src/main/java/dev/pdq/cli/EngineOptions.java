package dev.pdq.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that run the solver: which model, which machine profile, which BLAS. */
public final class EngineOptions {
    @Option(names = "--model", paramLabel = "FILE|dct",
            description = "Operator file, or `dct` for K = DCT. Default: the built-in model for the bit depth.")
    String model;

    @Option(names = "--device", paramLabel = "NAME|FILE",
            description = "Device profile: a built-in name (x86_64, rpi4, rpi5, aarch64, generic) or a .properties"
                    + " file. Default: detected from the machine.")
    String device;

    @Option(names = "--backend", paramLabel = "auto|native|java", defaultValue = "auto",
            description = "BLAS backend (default: ${DEFAULT-VALUE}): native is OpenBLAS, java the pure-Java one.")
    String backend;

    @Option(names = "--blas-library", paramLabel = "PATH",
            description = "OpenBLAS shared library to load (overrides the profile and PDQ_BLAS_LIBRARY).")
    String blasLibrary;
}
