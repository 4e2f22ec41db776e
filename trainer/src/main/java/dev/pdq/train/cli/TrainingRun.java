package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.operator.Dct;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.GridSegments;
import dev.pdq.train.corpus.TrainingExamples;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.eval.ClassicalValidator;
import dev.pdq.train.eval.EvalSignal;
import dev.pdq.train.eval.Inference;
import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.loop.Checkpoint;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Gradients;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.loop.TrainState;
import dev.pdq.train.loop.Trainer;
import dev.pdq.train.loop.TrainingDivergedException;
import dev.pdq.train.optim.Adam;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
     * What to train.
     *
     * @param initName   "dct" or the initial operator's file, for the provenance
     * @param dataSource how the split was made, for the provenance
     * @param resume     continue the run in {@code out} from its checkpoint
     */
    public record Spec(TrainConfig cfg, Operator initial, String initName, Split split, String dataSource, Path out,
                       boolean resume) {
    }

    /**
     * A finished (or early-stopped) run.
     *
     * @param workspaceBytes the gradient workers' workspace ({@link GradientMethod#workspaceBytes()})
     */
    public record Result(TrainState state, RunDirectory dir, Corpus train, Corpus valid, int frames,
                         long workspaceBytes) {
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

    /**
     * Refuses a folder that holds a run without {@code resume}, or holds none with it.
     *
     * @throws UsageException naming the folder
     */
    public static void checkFolder(Spec spec) {
        Path checkpoint = spec.out().resolve(RunDirectory.CHECKPOINT);
        if (spec.resume() && !Files.isRegularFile(checkpoint)) {
            throw new UsageException("--resume: " + checkpoint + " does not exist");
        }
        if (!spec.resume() && Files.exists(checkpoint)) {
            throw new UsageException(spec.out() + " already holds a run (" + RunDirectory.CHECKPOINT + "): add"
                    + " --resume to continue it, or choose another --out");
        }
    }

    /**
     * Reads the data, then trains (or resumes) to the end.
     *
     * @param threads gradient and validation workers (a native {@code blas} should then run one thread per call)
     * @throws UsageException     when resuming a run that was started with other settings
     * @throws DivergedException  when the run diverges
     */
    public static Result run(Spec spec, Blas blas, int threads, Progress progress) throws IOException {
        checkFolder(spec);
        TrainConfig cfg = spec.cfg();
        Operator initial = spec.initial();
        int n = initial.n();
        int k = initial.k();
        int rate = initial.sampleRate();
        Quantizer quantizer = new Quantizer(cfg.bits());
        Corpus train = CorpusReader.read(spec.split().train(), rate, "training");
        Corpus valid = CorpusReader.read(spec.split().valid(), rate, "validation");
        FrameSet frames = FrameSet.of(train.utterances(), n);
        if (frames.count() == 0) {
            throw new IOException("the training files hold no whole frame of " + n + " samples");
        }
        List<EvalSignal> validSignals = EvalSignal.of(valid.utterances(), cfg.level(), quantizer);
        Logger.info("training: {} files, {} utterances, {} frames of {}; validation: {} files, {} utterances, {} s",
                train.files().size(), train.utterances().size(), frames.count(), n, valid.files().size(),
                valid.utterances().size(), String.format(Locale.ROOT, "%.1f", valid.samples() / (double) rate));

        Map<String, String> settings = new TreeMap<>(cfg.fingerprint());
        settings.put("init", spec.initName().equals("dct") ? "dct " + n : "file crc " + crc(initial.matrix()));
        settings.put("train-files", train.files().size() + " files, list crc " + listCrc(train.files()));
        settings.put("valid-files", valid.files().size() + " files, list crc " + listCrc(valid.files()));
        settings.put("frame-length", Integer.toString(n));
        settings.put("sample-rate", Integer.toString(rate));

        Path out = spec.out();
        TrainState state;
        if (spec.resume()) {
            Checkpoint.Loaded loaded = Checkpoint.read(out.resolve(RunDirectory.CHECKPOINT));
            String diff = Checkpoint.differences(loaded.settings(), settings);
            if (!diff.isEmpty()) {
                throw new UsageException("--resume: the run in " + out + " was started with other settings:" + diff);
            }
            state = loaded.state();
            Logger.info("resuming after epoch {} (step {}) of {}", state.epochsDone(), state.step(), cfg.epochs());
        } else {
            Files.createDirectories(out);
            writeList(out.resolve("split-train.txt"), train.files());
            writeList(out.resolve("split-valid.txt"), valid.files());
            writeList(out.resolve("split-test.txt"), spec.split().test());
            state = new TrainState(initial.matrix(), k, n);
        }

        Function<float[], Operator> model = kMat -> new Operator(n, k, cfg.bits(), rate, 1.0, Trainer.STEP_RATIO,
                cfg.iterations(), 1, "", kMat);
        String data = String.format(Locale.ROOT, "%s; training %d files (%d skipped), %d frames; validation %d files"
                        + " (%d skipped), %.1f s; test %d files listed; %d Hz", spec.dataSource(), train.files().size(),
                train.skipped().size(), frames.count(), valid.files().size(), valid.skipped().size(),
                valid.samples() / (double) rate, spec.split().test().size(), rate);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String commit = GitInfo.commit();
        TrainingExamples examples = examples(cfg, frames);
        int stepsPerEpoch = cfg.stepsPerEpoch(examples.count(), examplesPerStep(cfg, examples));
        Function<TrainState, String> provenance = s -> provenance(spec, s, data, started, commit, stepsPerEpoch);
        RunDirectory dir = new RunDirectory(out, settings, model, provenance);
        ClassicalValidator validator = new ClassicalValidator(new Inference(blas, threads, TrainConfig.DEFAULT_BATCH),
                model, cfg.iterations(), cfg.trainGrids(), validSignals);
        if (examples instanceof GridSegments segments) {
            Logger.info("training through the average of {} shifted grids: {} segments of {} frames, {} solver frames"
                    + " each", cfg.trainGrids(), segments.count(), segments.segmentFrames(), segments.framesPerExample());
        }
        long workspace;
        try (GradientMethod gradient = Gradients.create(blas, cfg, examples, n, k, threads, quantizer.halfWidth())) {
            workspace = gradient.workspaceBytes();
            Logger.info("training {}: L = {}{}, alpha = {}, {} epochs of {} steps, batch {}, lr {} -> {}, {} worker(s),"
                            + " BLAS {}", cfg.mode(), cfg.iterations(),
                    cfg.mode() == GradientMode.TRUNCATED ? ", b = " + cfg.backpropSteps() : "", cfg.alphaText(),
                    cfg.epochs(), stepsPerEpoch, cfg.batch(), cfg.lrStart(), cfg.lrEnd(), threads,
                    blas.description());
            new Trainer(cfg, examples, gradient, validator, dir, progress).run(state);
        } catch (TrainingDivergedException e) {
            throw new DivergedException(e, state, dir);
        }
        return new Result(state, dir, train, valid, frames.count(), workspace);
    }

    /** The orthonormal DCT-II as an initial operator (n = k), with training's theta and sigma/tau. */
    public static Operator dctInitial(int n, int bits, int sampleRate, int iterations) {
        return new Operator(n, n, bits, sampleRate, 1.0, Trainer.STEP_RATIO, iterations, 1, "orthonormal DCT-II",
                Dct.orthonormalDct2(n));
    }

    /** The frames, or the segments of shifted grids when training through their averaged output. */
    private static TrainingExamples examples(TrainConfig cfg, FrameSet frames) {
        return cfg.trainGrids() > 1 ? new GridSegments(frames, cfg.trainGrids(),
                GridSegments.segmentFramesFor(cfg.batch(), cfg.trainGrids())) : frames;
    }

    private static int examplesPerStep(TrainConfig cfg, TrainingExamples examples) {
        return Math.max(1, cfg.batch() / examples.framesPerExample());
    }

    private static String provenance(Spec spec, TrainState s, String data, String started, String commit,
                                     int stepsPerEpoch) {
        TrainConfig cfg = spec.cfg();
        EpochRecord best = s.bestRecord();
        EpochRecord first = s.log().isEmpty() ? null : s.log().get(0);
        StringBuilder p = new StringBuilder();
        p.append("pdq-train ").append(TrainMain.version()).append(", git ").append(commit).append(", started ")
                .append(started).append(", written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append('\n');
        p.append(String.format(Locale.ROOT, "training: %s backpropagation, L = %d%s, alpha = %s, theta = 1,"
                        + " sigma/tau = %s (sigma, tau from ||K||_2 before every step)%n", cfg.mode(), cfg.iterations(),
                cfg.mode() == GradientMode.TRUNCATED ? ", b = " + cfg.backpropSteps() : "", cfg.alphaText(),
                Trainer.STEP_RATIO));
        p.append(String.format(Locale.ROOT, "optimizer: Adam(%s, %s, %s) on the batch-mean loss 0.5||y^L - s||^2,"
                        + " batch %d, lr %s -> %s linear per step over %d steps, %d epoch(s) planned, %d run%s, seed %d%s"
                        + "%n", Adam.PAPER_BETA1, Adam.PAPER_BETA2, Adam.PAPER_EPSILON, cfg.batch(), cfg.lrStart(),
                cfg.lrEnd(), (long) cfg.epochs() * stepsPerEpoch, cfg.epochs(), s.epochsDone(),
                s.stoppedEarly() ? " (early stop)" : "", cfg.seed(),
                cfg.stepsPerEpoch() > 0 ? ", at most " + cfg.stepsPerEpoch() + " steps an epoch" : ""));
        if (cfg.shiftGrid()) {
            p.append("augmentation: frames cut from a grid shifted by a random offset per utterance and epoch\n");
        }
        if (cfg.trainGrids() > 1) {
            p.append("loss: through the averaged output of ").append(cfg.trainGrids()).append(" shifted frame grids"
                    + " (validated at the same S)\n");
        }
        p.append("init: ").append(spec.initName().equals("dct") ? "orthonormal DCT-II" : spec.initName())
                .append(", K ").append(spec.initial().k()).append(" x ").append(spec.initial().n()).append('\n');
        p.append("data: ").append(data).append('\n');
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
    static void writeList(Path file, List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            String s = f.toString();
            sb.append(s.matches(".*[\\s'\"\\\\].*") ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : s)
                    .append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String listCrc(List<Path> files) {
        CRC32 crc = new CRC32();
        for (Path f : files) {
            crc.update(f.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
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
