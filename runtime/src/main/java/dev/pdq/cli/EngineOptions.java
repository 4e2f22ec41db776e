package dev.pdq.cli;

import dev.pdq.engine.EngineSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that run the solver: which model, which machine profile, which BLAS; resolved by
 * {@link dev.pdq.engine.Engine} from {@link #settings()}.
 */
public final class EngineOptions {
    @Option(names = "--model", paramLabel = "FILE|dct",
            description = "Operator file, or `dct` for K = DCT. Default: the built-in model for the bit depth.")
    String model;

    @Option(names = "--device", paramLabel = "NAME|FILE",
            description = "Device profile: a built-in name (x86_64, rpi4, rpi5, aarch64, generic) or a .properties"
                    + " file. Default: detected from the machine.")
    String device;

    @Mixin
    BackendOptions blas = new BackendOptions();

    EngineSettings settings() {
        return new EngineSettings(model, device, blas.backend(), blas.blasLibrary());
    }
}
