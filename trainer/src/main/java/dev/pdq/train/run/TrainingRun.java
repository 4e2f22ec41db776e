package dev.pdq.train.run;

import dev.pdq.blas.Blas;
import dev.pdq.operator.Operator;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.GridSegments;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.corpus.Utterance;
import dev.pdq.train.eval.ClassicalValidator;
import dev.pdq.train.eval.EvalSignal;
import dev.pdq.train.eval.Inference;
import dev.pdq.train.files.RunFolder;
import dev.pdq.train.loop.Checkpoint;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Gradients;
import dev.pdq.train.loop.LocalStepGradient;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.loop.StepGradient;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.TrainState;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.loop.TrainingDivergedException;
import dev.pdq.train.optim.Adam;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * One training run, from a configuration and a split to a run folder (model, log, plots, checkpoint, split lists):
 * the work of {@code pdq-train train}, callable by other subcommands (an experiment runs several).
 */
public final class TrainingRun {

    /**
     * What to train, whatever the engine.
     *
     * @param initName   "dct" or the initial operator's file, for the provenance
     * @param dataSource how the split was made, for the provenance
     * @param resume     continue the run in the folder from its checkpoint
     */
    public record Recipe(TrainConfig cfg, Operator initial, String initName, String dataSource, boolean resume) {
    }

    /**
     * What to train with the single-process engine: the recipe, the local files and the local run folder.
     *
     * @param initName   "dct" or the initial operator's file, for the provenance
     * @param dataSource how the split was made, for the provenance
     * @param resume     continue the run in {@code out} from its checkpoint
     */
    public record Spec(TrainConfig cfg, Operator initial, String initName, Split<Path> split, String dataSource, Path out,
                       boolean resume) {
        public Recipe recipe() {
            return new Recipe(cfg, initial, initName, dataSource, resume);
        }
    }

    /**
     * A finished (or early-stopped) run.
     *
     * @param workspaceBytes the gradient workers' workspace in this process ({@link StepGradient#workspaceBytes()})
     */
    public record Result(TrainState state, RunDirectory dir, int frames, long workspaceBytes) {
    }

    /**
     * The data of a run as an engine found it: the files of each set (named as the engine names them: local paths,
     * Hadoop URIs), what was skipped, the validation audio (read where the run is driven from) and the training
     * frames (wherever they are).
     *
     * @param trainListId  identifies the training file list in the checkpoint's settings (a resume must match)
     * @param validListId  likewise for the validation files
     */
    public record Data(List<String> trainFiles, int trainSkipped, String trainListId, int trainUtterances,
                       List<String> validFiles, int validSkipped, String validListId,
                       List<Utterance> validUtterances, List<String> testFiles, int frames) {
        public long validSamples() {
            long s = 0;
            for (Utterance u : validUtterances) {
                s += u.samples().length;
            }
            return s;
        }
    }

    /** The run diverged: the files of its last completed epoch are left as they were. */
    public static final class DivergedException extends RuntimeException {
        private final transient TrainState state;
        private final transient RunDirectory dir;

        DivergedException(TrainingDivergedException cause, TrainState state, RunDirectory dir) {
            super(cause.getMessage(), cause);
            this.state = state;
            this.dir = dir;
        }

        public TrainState state() {
            return state;
        }

        public RunDirectory dir() {
            return dir;
        }
    }

    private TrainingRun() {
    }

    /** pdq-train's version, for the provenance (the jar's, else "(development build)", as --version says). */
    private static String version() {
        String v = TrainingRun.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /**
     * Refuses a folder that holds a run without {@code resume}, or holds none with it.
     *
     * @throws RunRefusedException naming the folder
     */
    public static void checkFolder(Spec spec) throws IOException {
        checkFolder(RunFolder.local(spec.out()), spec.resume());
    }

    /**
     * Refuses a run folder (on any file system) that holds a run without {@code resume}, or holds none with it.
     *
     * @throws RunRefusedException naming the folder
     */
    public static void checkFolder(RunFolder folder, boolean resume) throws IOException {
        boolean held = folder.exists(RunDirectory.CHECKPOINT);
        if (resume && !held) {
            throw new RunRefusedException("--resume: " + folder.where(RunDirectory.CHECKPOINT) + " does not exist");
        }
        if (!resume && held) {
            throw new RunRefusedException(folder.where("") + " already holds a run (" + RunDirectory.CHECKPOINT + "): add"
                    + " --resume to continue it, or choose another --out");
        }
    }

    /**
     * The single-process engine: reads the data from local folders, then trains (or resumes) to the end.
     *
     * @param threads gradient and validation workers (a native {@code blas} should then run one thread per call)
     * @throws RunRefusedException     when resuming a run that was started with other settings
     * @throws DivergedException  when the run diverges
     */
    public static Result run(Spec spec, Blas blas, int threads, Progress progress) throws IOException {
        checkFolder(spec);
        TrainConfig cfg = spec.cfg();
        int n = spec.initial().n();
        int rate = spec.initial().sampleRate();
        Corpus train = CorpusReader.read(spec.split().train(), rate, "training");
        Corpus valid = CorpusReader.read(spec.split().valid(), rate, "validation");
        FrameSet frames = FrameSet.of(train.utterances(), n);
        if (frames.count() == 0) {
            throw new IOException("the training files hold no whole frame of " + n + " samples");
        }
        Data data = new Data(names(train.files()), train.skipped().size(), listCrc(train.files()),
                train.utterances().size(), names(valid.files()), valid.skipped().size(), listCrc(valid.files()),
                valid.utterances(), names(spec.split().test()), frames.count());
        NodeQuantizer quantizer = cfg.nodeQuantizer();
        TrainingExamples examples = examples(cfg, frames);
        if (examples instanceof GridSegments segments) {
            Logger.info("training through the average of {} shifted grids: {} segments of {} frames, {} solver frames"
                    + " each", cfg.trainGrids(), segments.count(), segments.segmentFrames(), segments.framesPerExample());
        }
        try (StepGradient gradient = new LocalStepGradient(examples, Gradients.create(blas, cfg, examples, n,
                spec.initial().k(), threads, quantizer.nominalHalfWidth(), cfg.loss(), rate), quantizer)) {
            return train(spec.recipe(), RunFolder.local(spec.out()), data, gradient, blas, threads, progress);
        }
    }

    /**
     * What every engine shares once it has its data and its step gradient: the settings a resume must match, the
     * state (fresh, or from the folder's checkpoint), the run folder, validation on this process and the {@link
     * Trainer}'s loop.
     *
     * @param folder   the run folder (on the engine's file system); must hold a checkpoint exactly when resuming
     * @param blas     for validation (here, with {@code threads} workers)
     * @throws RunRefusedException     when resuming a run that was started with other settings
     * @throws DivergedException  when the run diverges
     */
    public static Result train(Recipe spec, RunFolder folder, Data data, StepGradient gradient, Blas blas,
                               int threads, Progress progress) throws IOException {
        TrainConfig cfg = spec.cfg();
        Operator initial = spec.initial();
        int n = initial.n();
        int k = initial.k();
        int rate = initial.sampleRate();
        // validation reports no STOI (train.csv has no column for it): skip its cost every epoch
        List<EvalSignal> validSignals = new java.util.ArrayList<>();
        if (cfg.validLevels().isEmpty()) {
            validSignals.addAll(EvalSignal.of(data.validUtterances(), cfg.level(), cfg.nodeQuantizer(), false));
        }
        for (double db : cfg.validLevels()) {
            validSignals.addAll(EvalSignal.atPeak(data.validUtterances(), db, cfg.nodeQuantizer(), false));
        }
        Logger.info("training: {} files, {} utterances, {} frames of {}; validation: {} files, {} utterances, {} s",
                data.trainFiles().size(), data.trainUtterances(), data.frames(), n, data.validFiles().size(),
                data.validUtterances().size(), String.format(Locale.ROOT, "%.1f", data.validSamples()
                        / (double) rate));

        Map<String, String> settings = new TreeMap<>(cfg.fingerprint());
        settings.put("init", spec.initName().equals("dct") ? "dct " + n : "file crc " + crc(initial.matrix()));
        settings.put("train-files", data.trainFiles().size() + " files, list crc " + data.trainListId());
        settings.put("valid-files", data.validFiles().size() + " files, list crc " + data.validListId());
        settings.put("frame-length", Integer.toString(n));
        settings.put("sample-rate", Integer.toString(rate));

        TrainState state;
        if (spec.resume()) {
            Checkpoint.Loaded loaded = Checkpoint.read(folder.read(RunDirectory.CHECKPOINT),
                    folder.where(RunDirectory.CHECKPOINT));
            String diff = Checkpoint.differences(loaded.settings(), settings);
            if (!diff.isEmpty()) {
                throw new RunRefusedException("--resume: the run in " + folder.where("") + " was started with other"
                        + " settings:" + diff);
            }
            state = loaded.state();
            Logger.info("resuming after epoch {} (step {}) of {}", state.epochsDone(), state.step(), cfg.epochs());
        } else {
            writeList(folder, "split-train.txt", data.trainFiles());
            writeList(folder, "split-valid.txt", data.validFiles());
            writeList(folder, "split-test.txt", data.testFiles());
            state = new TrainState(initial.matrix(), k, n);
        }

        Function<float[], Operator> model = kMat -> new Operator(n, k, cfg.bits(), rate, 1.0, Trainer.STEP_RATIO,
                cfg.iterations(), 1, cfg.scheme(), cfg.gainBlock(), "", kMat);
        String dataText = String.format(Locale.ROOT, "%s; training %d files (%d skipped), %d frames; validation %d"
                        + " files (%d skipped), %.1f s; test %d files listed; %d Hz", spec.dataSource(),
                data.trainFiles().size(), data.trainSkipped(), data.frames(), data.validFiles().size(),
                data.validSkipped(), data.validSamples() / (double) rate, data.testFiles().size(), rate);
        String engine = gradient.describe() + "; validation (here) on BLAS " + blas.description();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String commit = GitInfo.commit();
        int stepsPerEpoch = cfg.stepsPerEpoch(gradient.exampleCount(), examplesPerStep(cfg,
                gradient.framesPerExample()));
        Function<TrainState, String> provenance = s -> provenance(spec, s, dataText, engine, started, commit,
                stepsPerEpoch);
        RunDirectory dir = new RunDirectory(folder, settings, model, provenance);
        ClassicalValidator validator = new ClassicalValidator(new Inference(blas, threads, TrainConfig.DEFAULT_BATCH),
                model, cfg.iterations(), cfg.trainGrids(), validSignals);
        Logger.info("training {}: L = {}{}, alpha = {}, {} epochs of {} steps, batch {}, lr {} -> {}; {}",
                cfg.mode(), cfg.iterations(), cfg.mode() == GradientMode.TRUNCATED ? ", b = " + cfg.backpropSteps()
                        : "", cfg.alphaText(), cfg.epochs(), stepsPerEpoch, cfg.batch(), cfg.lrStart(), cfg.lrEnd(),
                engine);
        try {
            new Trainer(cfg, gradient, validator, dir, progress).run(state);
        } catch (TrainingDivergedException e) {
            throw new DivergedException(e, state, dir);
        }
        return new Result(state, dir, data.frames(), gradient.workspaceBytes());
    }

    /** The orthonormal DCT-II as an initial operator (n = k), with training's theta and sigma/tau. */
    public static Operator dctInitial(int n, int bits, int sampleRate, int iterations) {
        return Operator.dct(n, bits, sampleRate, iterations);
    }

    /** The frames, or the segments of shifted grids when training through their averaged output. */
    private static TrainingExamples examples(TrainConfig cfg, FrameSet frames) {
        return cfg.trainGrids() > 1 ? new GridSegments(frames, cfg.trainGrids(),
                GridSegments.segmentFramesFor(cfg.batch(), cfg.trainGrids())) : frames;
    }

    private static int examplesPerStep(TrainConfig cfg, int framesPerExample) {
        return Math.max(1, cfg.batch() / framesPerExample);
    }

    private static String provenance(Recipe spec, TrainState s, String data, String engine, String started,
                                     String commit, int stepsPerEpoch) {
        TrainConfig cfg = spec.cfg();
        EpochRecord best = s.bestRecord();
        EpochRecord first = s.log().isEmpty() ? null : s.log().get(0);
        StringBuilder p = new StringBuilder();
        p.append("pdq-train ").append(version()).append(", git ").append(commit).append(", started ")
                .append(started).append(", written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append('\n');
        p.append(String.format(Locale.ROOT, "training: %s backpropagation, L = %d%s, alpha = %s, theta = 1,"
                        + " sigma/tau = %s (sigma, tau from ||K||_2 before every step)%n", cfg.mode(), cfg.iterations(),
                cfg.mode() == GradientMode.TRUNCATED ? ", b = " + cfg.backpropSteps() : "", cfg.alphaText(),
                Trainer.STEP_RATIO));
        p.append(String.format(Locale.ROOT, "optimizer: Adam(%s, %s, %s) on the batch-mean loss %s,"
                        + " batch %d, lr %s -> %s linear per step over %d steps, %d epoch(s) planned, %d run%s, seed %d%s"
                        + "%n", Adam.PAPER_BETA1, Adam.PAPER_BETA2, Adam.PAPER_EPSILON,
                cfg.loss().create(spec.initial().n(), spec.initial().sampleRate()).describe(), cfg.batch(),
                cfg.lrStart(), cfg.lrEnd(), (long) cfg.epochs() * stepsPerEpoch, cfg.epochs(), s.epochsDone(),
                s.stoppedEarly() ? " (early stop)" : "", cfg.seed(),
                cfg.stepsPerEpoch() > 0 ? ", at most " + cfg.stepsPerEpoch() + " steps an epoch" : ""));
        if (cfg.shiftGrid()) {
            p.append("augmentation: frames cut from a grid shifted by a random offset per utterance and epoch\n");
        }
        if (cfg.trainGrids() > 1) {
            p.append("loss: through the averaged output of ").append(cfg.trainGrids()).append(" shifted frame grids"
                    + " (validated at the same S)\n");
        }
        p.append("quantizer: ").append(cfg.bits()).append("-bit ").append(cfg.scheme())
                .append(cfg.gainBlock() > 0 ? ", gain blocks of " + cfg.gainBlock() : "")
                .append(cfg.scheme() == dev.pdq.quant.Scheme.UNIFORM ? "" : ", frames solved in the scale of their"
                        + " cells, the loss in the signal's scale").append('\n');
        p.append("init: ").append(spec.initName().equals("dct") ? "orthonormal DCT-II" : spec.initName())
                .append(", K ").append(spec.initial().k()).append(" x ").append(spec.initial().n()).append('\n');
        p.append("data: ").append(data).append('\n');
        p.append("engine: ").append(engine).append('\n');
        p.append("level: ").append(cfg.level().describe()).append('\n');
        if (best != null && first != null) {
            p.append(String.format(Locale.ROOT, "validation (classical inference, L = %d, %s): best epoch"
                            + " %d: MSE %.4e, mean per-file SNR %.3f dB, overall SNR %.3f dB, segmental SNR %.3f dB;"
                            + " initial K: %.3f dB mean per file, %.3f dB overall", cfg.iterations(),
                    cfg.trainGrids() > 1 ? cfg.trainGrids() + " shifted frame grids" : "one frame grid", best.epoch(),
                    best.validMse(), best.validSnrDb(), best.validSnrOverallDb(), best.validSegSnrDb(),
                    first.validSnrDb(), first.validSnrOverallDb()));
        }
        return p.toString();
    }

    /** One path a line; paths with blanks or quotes quoted, so that picocli's @FILE reads them back. */
    static void writeList(RunFolder folder, String name, List<String> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String s : files) {
            sb.append(s.matches(".*[\\s'\"\\\\].*") ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : s)
                    .append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        folder.write(name, out -> out.write(bytes));
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    /** The CRC-32 of the files' absolute paths, one a line, in hex: identifies a local file list. */
    private static String listCrc(List<Path> files) {
        CRC32 crc = new CRC32();
        for (Path f : files) {
            crc.update(f.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            crc.update('\n');
        }
        return Long.toHexString(crc.getValue());
    }

    /** The CRC-32 of the strings, one a line, in hex: identifies a file list named by URIs. */
    public static String listId(List<String> files) {
        CRC32 crc = new CRC32();
        for (String f : files) {
            crc.update(f.getBytes(StandardCharsets.UTF_8));
            crc.update('\n');
        }
        return Long.toHexString(crc.getValue());
    }

    private static String crc(float[] values) {
        CRC32 crc = new CRC32();
        for (float v : values) {
            int b = Float.floatToIntBits(v);
            crc.update(b);
            crc.update(b >>> 8);
            crc.update(b >>> 16);
            crc.update(b >>> 24);
        }
        return Long.toHexString(crc.getValue());
    }
}
