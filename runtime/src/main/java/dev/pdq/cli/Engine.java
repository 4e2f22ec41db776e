package dev.pdq.cli;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.BlasUnavailableException;
import dev.pdq.blas.Blases;
import dev.pdq.device.DeviceProfile;
import dev.pdq.device.DeviceProfileException;
import dev.pdq.device.DeviceProfiles;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.ModelFormatException;
import dev.pdq.operator.Operator;
import dev.pdq.trace.StartupTrace;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Resolves {@link EngineOptions} into a device profile, a BLAS backend and an operator, logging each choice. */
public final class Engine {
    private Engine() {
    }

    /** The profile named by --device, or the one detected from this machine. */
    public static DeviceProfile profile(EngineOptions o) throws PdqException {
        if (o.device != null) {
            try {
                DeviceProfile p = DeviceProfiles.resolve(o.device);
                Logger.info("device profile {} (from --device)", p.name());
                return p;
            } catch (DeviceProfileException e) {
                throw PdqException.failure(e.getMessage());
            }
        }
        StartupTrace.mark("command parsed");
        DeviceProfiles.Detection d = DeviceProfiles.detect();
        StartupTrace.mark("device profile detected");
        Logger.info("device profile {} (detected: {})", d.profile().name(), d.reason());
        StartupTrace.mark("first log line");
        return d.profile();
    }

    /** The BLAS backend the options and the profile ask for. */
    public static Blas blas(EngineOptions o, DeviceProfile profile) throws PdqException {
        BlasChoice choice;
        try {
            choice = BlasChoice.valueOf(o.backend.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PdqException.usage("--backend: '" + o.backend + "' is not one of auto, native, java");
        }
        try {
            Blas blas = Blases.select(choice, blasOptions(o, profile));
            StartupTrace.mark("BLAS loaded");
            return blas;
        } catch (BlasUnavailableException e) {
            throw PdqException.failure(e.getMessage());
        }
    }

    /** Library path (--blas-library, else the profile's), threads and core type for the BLAS selector. */
    public static BlasOptions blasOptions(EngineOptions o, DeviceProfile profile) {
        String library = o.blasLibrary != null ? o.blasLibrary
                : profile.blasLibrary().map(Path::toString).orElse(null);
        return new BlasOptions(library, profile.blasThreads(), profile.blasCoreType().orElse(null));
    }

    /** An operator and the iteration count to run it with by default. */
    public record Model(Operator operator, int iterations) {
    }

    /**
     * The operator --model names: a file (run at its trained L), `dct` (at the L measured for the bit depth), or,
     * when absent, the built-in model for the bit depth and the number of frame grids asked for (null: the
     * model's own), else the DCT.
     */
    public static Model model(EngineOptions o, int bits, Integer shifts) throws PdqException {
        if (o.model == null) {
            Optional<Operator> builtIn = shifts == null ? BuiltinModels.forBits(bits)
                    : BuiltinModels.forBits(bits, shifts);
            if (builtIn.isPresent()) {
                Operator op = builtIn.get();
                StartupTrace.mark("built-in model read");
                Logger.info("model: built-in {}-bit model{} (k = {}, L = {})", bits,
                        op.shifts() == 1 ? " for one frame grid" : " for " + op.shifts() + " frame grids", op.k(),
                        op.trainedIterations());
                return new Model(op, op.trainedIterations());
            }
            Logger.info("model: no built-in {}-bit model, using K = DCT", bits);
        }
        if (o.model == null || o.model.equals("dct")) {
            int l = BuiltinModels.dctIterations(bits);
            if (l == 0) {
                Logger.warn("at {} bits K = DCT is worse than the quantized input at every L measured: L = 0 passes"
                        + " the input through (set --iterations to override, or train a model)", bits);
            }
            return new Model(BuiltinModels.dct(bits), l);
        }
        try {
            Operator op = ModelFile.read(Path.of(o.model));
            Logger.info("model: {} (n = {}, k = {}, {} bits, L = {})", o.model, op.n(), op.k(), op.bits(),
                    op.trainedIterations());
            return new Model(op, op.trainedIterations());
        } catch (ModelFormatException e) {
            throw PdqException.failure(e.getMessage());
        }
    }
}
