package dev.pdq.cli;

import dev.pdq.engine.EngineSettings;
import dev.pdq.stream.DequantizerSettings;
import picocli.CommandLine;
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

    @Option(names = "--solver-threads", paramLabel = "N", converter = SolverThreads.class,
            description = "Threads a batch's frames are solved on, a share each over a single-threaded BLAS (1.."
                    + DequantizerSettings.MAX_WORKERS + "; default: the device profile's BLAS threads, else"
                    + " OPENBLAS_NUM_THREADS, else the processors). 1: one solver on the BLAS library's own threads.")
    Integer solverThreads;

    EngineSettings settings() {
        return new EngineSettings(model, device, blas.backend(), blas.blasLibrary(), solverThreads);
    }

    /** A whole number in 1..MAX_WORKERS, else a usage error naming the value. */
    static final class SolverThreads implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int t;
            try {
                t = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
            try {
                return DequantizerSettings.checkWorkers(t);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
