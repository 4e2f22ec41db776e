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
import dev.pdq.quant.Scheme;
import dev.pdq.quant.StreamKind;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.trace.StartupTrace;
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
        StartupTrace.mark("command parsed");
        DeviceProfiles.Detection d = DeviceProfiles.detect();
        StartupTrace.mark("device profile detected");
        Logger.info("device profile {} (detected: {})", d.profile().name(), d.reason());
        StartupTrace.mark("first log line");
        return d.profile();
    }

    /** The BLAS backend the settings and the profile ask for. */
    public static Blas blas(EngineSettings s, DeviceProfile profile) throws EngineException {
        return select(s, blasOptions(s, profile));
    }

    /**
     * The BLAS backend for a dequantizer whose frames are solved on {@code workers} threads: single-threaded where
     * workers > 1 (the frames take the place of the library's threads), else as {@link #blas}.
     */
    public static Blas blasForWorkers(EngineSettings s, DeviceProfile profile, int workers) throws EngineException {
        return select(s, blasOptions(s, profile, workers));
    }

    private static Blas select(EngineSettings s, BlasOptions options) throws EngineException {
        try {
            Blas blas = Blases.select(s.backend(), options);
            StartupTrace.mark("BLAS loaded");
            return blas;
        } catch (BlasUnavailableException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /**
     * The threads to solve a stream's frames on: the settings' where given, else the profile's BLAS threads where
     * it sets them, else OPENBLAS_NUM_THREADS where that is a positive number, else the processors this JVM may use
     * (as many threads as OpenBLAS would start itself).
     */
    public static int solverThreads(EngineSettings s, DeviceProfile profile) {
        if (s.solverThreads() != null) {
            return s.solverThreads();
        }
        if (profile.blasThreads() > 0) {
            return profile.blasThreads();
        }
        String env = System.getenv("OPENBLAS_NUM_THREADS");
        if (env != null) {
            try {
                int t = Integer.parseInt(env.trim());
                if (t > 0) {
                    return Math.min(t, DequantizerSettings.MAX_WORKERS);
                }
            } catch (NumberFormatException e) {
                // not a number: OpenBLAS ignores it too
            }
        }
        return Math.min(Runtime.getRuntime().availableProcessors(), DequantizerSettings.MAX_WORKERS);
    }

    /** {@link #blasOptions(EngineSettings, DeviceProfile)}, single-threaded where {@code workers} > 1. */
    public static BlasOptions blasOptions(EngineSettings s, DeviceProfile profile, int workers) {
        BlasOptions options = blasOptions(s, profile);
        return workers > 1 ? options.withThreads(1) : options;
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
     * The operator the settings name for a 16 kHz stream on the uniform grid of {@code bits}: see
     * {@link #model(EngineSettings, StreamKind, Integer)}.
     */
    public static Model model(EngineSettings s, int bits, Integer shifts) throws EngineException {
        return model(s, StreamKind.uniform(bits, BuiltinModels.SAMPLE_RATE), shifts);
    }

    /**
     * The operator the settings name for a stream: a file (run at its trained L; refused if made for another scheme
     * or rate), {@code dct} (K = DCT with 20 ms frames at the stream's rate, at the L measured for the bit depth),
     * {@code none} (the plain decoding: L = 0), or, when absent, the built-in model for the stream's scheme, bits and
     * rate and the number of frame grids asked for (null: the model's own), else the DCT.
     */
    public static Model model(EngineSettings s, StreamKind kind, Integer shifts) throws EngineException {
        return model(s, kind, shifts, true);
    }

    /**
     * As {@link #model(EngineSettings, StreamKind, Integer)}, but a model file is taken as it is, whatever scheme or
     * rate it was made for (to describe it, as pdq info does).
     */
    public static Model describe(EngineSettings s, StreamKind kind, Integer shifts) throws EngineException {
        return model(s, kind, shifts, false);
    }

    private static Model model(EngineSettings s, StreamKind kind, Integer shifts, boolean check)
            throws EngineException {
        String model = s.model();
        if (model == null) {
            Optional<Operator> builtIn = BuiltinModels.forStream(kind, shifts);
            if (builtIn.isPresent()) {
                Operator op = builtIn.get();
                StartupTrace.mark("built-in model read");
                boolean plain = kind.scheme() == Scheme.UNIFORM && kind.sampleRate() == BuiltinModels.SAMPLE_RATE;
                Logger.info("model: built-in {} model{} (k = {}, L = {})",
                        plain ? kind.bits() + "-bit" : kind.describe(),
                        op.shifts() == 1 ? " for one frame grid" : " for " + op.shifts() + " frame grids", op.k(),
                        op.trainedIterations());
                return new Model(op, op.trainedIterations());
            }
            if (BuiltinModels.dctIterations(kind) == 0) {
                Logger.info("model: no built-in model for {}: the plain decoding (L = 0; K = DCT is worse than it"
                        + " at every L measured)", kind.describe());
            } else {
                Logger.info("model: no built-in model for {}, using K = DCT", kind.describe());
            }
        }
        if (model != null && model.equals("none")) {
            Logger.info("model: none, the plain decoding of the {} stream", kind.describe());
            return new Model(BuiltinModels.dct(kind), 0);
        }
        if (model == null || model.equals("dct")) {
            int l = BuiltinModels.dctIterations(kind);
            if (l == 0 && model != null) { // asked for by name: say why it will not run
                Logger.warn("on a {} stream K = DCT is worse than the plain decoding at every L measured: L = 0"
                        + " passes it through (set --iterations to override, or train a model)", kind.describe());
            }
            return new Model(BuiltinModels.dct(kind), l);
        }
        Operator op;
        try {
            op = ModelFile.read(Path.of(model));
        } catch (ModelFormatException e) {
            throw new EngineException(e.getMessage(), e);
        }
        if (check && (op.scheme() != kind.scheme() || op.blockLength() != kind.blockLength())) {
            throw new EngineException("the model " + model + " was made for the " + op.scheme() + " scheme"
                    + (op.blockLength() > 0 ? " with gain blocks of " + op.blockLength() : "") + ", the stream is "
                    + kind.describe(), null);
        }
        Logger.info("model: {} (n = {}, k = {}, {} bits, {}, L = {})", model, op.n(), op.k(), op.bits(),
                op.scheme(), op.trainedIterations());
        return new Model(op, op.trainedIterations());
    }
}
