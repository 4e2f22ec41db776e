package dev.pdq.engine;

import dev.pdq.blas.Blas;
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
import org.tinylog.Logger;

import java.nio.file.Path;
import java.util.Optional;

/** Resolves {@link EngineSettings} into a device profile, a BLAS backend and an operator, logging each choice. */
public final class Engine {
    private Engine() {
    }

    /** The profile the settings name, or the one detected from this machine. */
    public static DeviceProfile profile(EngineSettings s) throws EngineException {
        if (s.device() != null) {
            try {
                DeviceProfile p = DeviceProfiles.resolve(s.device());
                Logger.info("device profile {} (from --device)", p.name());
                return p;
            } catch (DeviceProfileException e) {
                throw new EngineException(e.getMessage(), e);
            }
        }
        DeviceProfiles.Detection d = DeviceProfiles.detect();
        Logger.info("device profile {} (detected: {})", d.profile().name(), d.reason());
        return d.profile();
    }

    /** The BLAS backend the settings and the profile ask for. */
    public static Blas blas(EngineSettings s, DeviceProfile profile) throws EngineException {
        try {
            return Blases.select(s.backend(), blasOptions(s, profile));
        } catch (BlasUnavailableException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /** Library path (the settings', else the profile's), threads and core type for the BLAS selector. */
    public static BlasOptions blasOptions(EngineSettings s, DeviceProfile profile) {
        String library = s.blasLibrary() != null ? s.blasLibrary()
                : profile.blasLibrary().map(Path::toString).orElse(null);
        return new BlasOptions(library, profile.blasThreads(), profile.blasCoreType().orElse(null));
    }

    /** An operator and the iteration count to run it with by default. */
    public record Model(Operator operator, int iterations) {
    }

    /**
     * The operator the settings name: a file (run at its trained L), `dct` (at the L measured for the bit depth),
     * or, when absent, the built-in model for the bit depth and the number of frame grids asked for (null: the
     * model's own), else the DCT.
     */
    public static Model model(EngineSettings s, int bits, Integer shifts) throws EngineException {
        String model = s.model();
        if (model == null) {
            Optional<Operator> builtIn = shifts == null ? BuiltinModels.forBits(bits)
                    : BuiltinModels.forBits(bits, shifts);
            if (builtIn.isPresent()) {
                Operator op = builtIn.get();
                Logger.info("model: built-in {}-bit model{} (k = {}, L = {})", bits,
                        op.shifts() == 1 ? " for one frame grid" : " for " + op.shifts() + " frame grids", op.k(),
                        op.trainedIterations());
                return new Model(op, op.trainedIterations());
            }
            Logger.info("model: no built-in {}-bit model, using K = DCT", bits);
        }
        if (model == null || model.equals("dct")) {
            int l = BuiltinModels.dctIterations(bits);
            if (l == 0) {
                Logger.warn("at {} bits K = DCT is worse than the quantized input at every L measured: L = 0 passes"
                        + " the input through (set --iterations to override, or train a model)", bits);
            }
            return new Model(BuiltinModels.dct(bits), l);
        }
        try {
            Operator op = ModelFile.read(Path.of(model));
            Logger.info("model: {} (n = {}, k = {}, {} bits, L = {})", model, op.n(), op.k(), op.bits(),
                    op.trainedIterations());
            return new Model(op, op.trainedIterations());
        } catch (ModelFormatException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }
}
