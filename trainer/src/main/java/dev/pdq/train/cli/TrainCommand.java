package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.operator.Dct;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Level;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.zip.CRC32;

/** pdq-train train: learns K on a corpus; see trainer/README-train.md. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learns the analysis operator K by unrolled primal-dual iterations with full or truncated"
                + " backpropagation, Adam and a linearly falling learning rate.",
                "Writes into --out: model.pdqk (the best K by validation MSE), train.csv, curves-*.png,"
                        + " checkpoint.pdqc, split-*.txt. Run the same command with --resume to continue."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--train", arity = "1..*", paramLabel = "DIR", description = "Training folder(s) of WAV files.")
    List<Path> trainDirs = new ArrayList<>();

    @Option(names = "--valid", arity = "1..*", paramLabel = "DIR", description = "Validation folder(s).")
    List<Path> validDirs = new ArrayList<>();

    @Option(names = "--test", arity = "1..*", paramLabel = "DIR",
            description = "Test folder(s): only listed in split-test.txt, never read here.")
    List<Path> testDirs = new ArrayList<>();

    @Option(names = "--data", arity = "1..*", paramLabel = "DIR",
            description = "Instead of --train/--valid: folder(s) split by file at random (--valid-fraction,"
                    + " --test-fraction, --split-seed).")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--valid-fraction", defaultValue = "0.1", description = "With --data (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "With --data (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "1", description = "With --data (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder of the run.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (same options).")
    boolean resume;

    @Option(names = "--bits", defaultValue = "4", description = "Quantizer bits (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--init", paramLabel = "FILE|dct", defaultValue = "dct",
            description = "Initial K: `dct` (orthonormal DCT-II, n = k = --frame-length) or an operator file"
                    + " (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--frame-length", defaultValue = "320", description = "n for --init dct (default: ${DEFAULT-VALUE}).")
    int frameLength;

    @Option(names = "--sample-rate", defaultValue = "16000",
            description = "Sample rate for --init dct, Hz; files at another rate are skipped (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--mode", defaultValue = "truncated", paramLabel = "full|truncated",
            description = "Backpropagation (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"--iterations", "-L"}, defaultValue = "100", description = "L, unrolled iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"--backprop-steps", "-b"}, defaultValue = "30",
            description = "b, backward steps of truncated backpropagation (default: ${DEFAULT-VALUE}).")
    int backpropSteps;

    @Option(names = "--alpha", defaultValue = "1", paramLabel = "A|r",
            description = "Primal mask threshold: a number, or r for the exact Jacobian (default: ${DEFAULT-VALUE},"
                    + " as the paper trains).")
    String alpha;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr-start", defaultValue = "1e-5", description = "Learning rate of the first step (default: ${DEFAULT-VALUE}).")
    double lrStart;

    @Option(names = "--lr-end", defaultValue = "1e-8", description = "Learning rate of the last step (default: ${DEFAULT-VALUE}).")
    double lrEnd;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shuffles and gains (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patience", defaultValue = "0",
            description = "Stop after this many epochs without a better validation MSE; 0 runs every epoch (the"
                    + " best K is kept either way) (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--steps-per-epoch", defaultValue = "0",
            description = "Cap on the steps of an epoch, for smoke runs; 0 for all (default: ${DEFAULT-VALUE}).")
    int stepsPerEpoch;

    @Option(names = "--explode-factor", defaultValue = "1e6",
            description = "Stop as diverged when a batch MSE exceeds this times the first step's (default: ${DEFAULT-VALUE}).")
    double explodeFactor;

    @Mixin
    LevelOptions levelOptions;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws IOException {
        checkUsage();
        Level level = levelOptions.level();
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(GradientMode.parse(mode), iterations, backpropSteps, parseAlpha(), epochs, batch,
                    lrStart, lrEnd, seed, patience, stepsPerEpoch, bits, level, explodeFactor);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Operator initial = initialOperator();
        int n = initial.n();
        int k = initial.k();
        int rate = initial.sampleRate();
        Quantizer quantizer = new Quantizer(bits);

        Path checkpoint = out.resolve(RunDirectory.CHECKPOINT);
        if (resume && !Files.isRegularFile(checkpoint)) {
            throw new UsageException("--resume: " + checkpoint + " does not exist");
        }
        if (!resume && Files.exists(checkpoint)) {
            throw new UsageException(out + " already holds a run (" + RunDirectory.CHECKPOINT + "): add --resume to"
                    + " continue it, or choose another --out");
        }

        Split split = split();
        Corpus trainCorpus = CorpusReader.read(split.train(), rate, "training");
        Corpus validCorpus = CorpusReader.read(split.valid(), rate, "validation");
        FrameSet frames = FrameSet.of(trainCorpus.utterances(), n);
        List<EvalSignal> validSignals = EvalSignal.of(validCorpus.utterances(), level, quantizer);
        if (frames.count() == 0) {
            throw new IOException("the training files hold no whole frame of " + n + " samples");
        }
        Logger.info("training: {} files, {} utterances, {} frames of {}; validation: {} files, {} utterances, {} s",
                trainCorpus.files().size(), trainCorpus.utterances().size(), frames.count(), n,
                validCorpus.files().size(), validCorpus.utterances().size(),
                String.format(Locale.ROOT, "%.1f", validCorpus.samples() / (double) rate));

        Map<String, String> settings = new TreeMap<>(cfg.fingerprint());
        settings.put("init", init.equals("dct") ? "dct " + n : "file crc " + crc(initial.matrix()));
        settings.put("train-files", trainCorpus.files().size() + " files, list crc " + listCrc(trainCorpus.files()));
        settings.put("valid-files", validCorpus.files().size() + " files, list crc " + listCrc(validCorpus.files()));
        settings.put("frame-length", Integer.toString(n));
        settings.put("sample-rate", Integer.toString(rate));

        TrainState state;
        if (resume) {
            Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
            String diff = Checkpoint.differences(loaded.settings(), settings);
            if (!diff.isEmpty()) {
                throw new UsageException("--resume: the run in " + out + " was started with other settings:" + diff);
            }
            state = loaded.state();
            Logger.info("resuming after epoch {} (step {}) of {}", state.epochsDone(), state.step(), epochs);
        } else {
            Files.createDirectories(out);
            writeList(out.resolve("split-train.txt"), trainCorpus.files());
            writeList(out.resolve("split-valid.txt"), validCorpus.files());
            writeList(out.resolve("split-test.txt"), split.test());
            state = new TrainState(initial.matrix(), k, n);
        }

        int threads = engine.threads();
        Blas blas = engine.blas();
        Function<float[], Operator> model = kMat -> new Operator(n, k, bits, rate, 1.0, Trainer.STEP_RATIO,
                iterations, 1, "", kMat);
        String data = dataDescription(split, trainCorpus, validCorpus, frames, rate);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String commit = GitInfo.commit();
        Function<TrainState, String> provenance = s -> provenance(cfg, s, data, started, commit, k, n,
                frames.count());
        RunDirectory dir = new RunDirectory(out, settings, model, provenance);
        Inference inference = new Inference(blas, threads, TrainConfig.DEFAULT_BATCH);
        ClassicalValidator validator = new ClassicalValidator(inference, model, iterations, validSignals);
        try (GradientMethod gradient = Gradients.create(blas, cfg, n, k, threads, quantizer.halfWidth());
             Progress progress = engine.progress()) {
            Logger.info("training {}: L = {}{}, alpha = {}, {} epochs of {} steps, batch {}, lr {} -> {}, {} worker(s),"
                            + " BLAS {}", cfg.mode(), iterations,
                    cfg.mode() == GradientMode.TRUNCATED ? ", b = " + backpropSteps : "", cfg.alphaText(), epochs,
                    cfg.stepsPerEpoch(frames.count()), batch, lrStart, lrEnd, threads, blas.description());
            Trainer trainer = new Trainer(cfg, frames, gradient, validator, dir, progress);
            trainer.run(state);
        } catch (TrainingDivergedException e) {
            Logger.error("{}", e.getMessage());
            Logger.error("kept the files of the last completed epoch ({}): {} (best K: epoch {}) and {}",
                    state.epochsDone(), dir.modelFile(), state.bestEpoch(), dir.checkpointFile());
            return ExitCodes.FAILURE;
        }
        EpochRecord best = state.bestRecord();
        EpochRecord first = state.log().get(0);
        Logger.info(String.format(Locale.ROOT, "done: %s holds the K of epoch %d: validation SNR %.3f dB (mean per"
                        + " file), %.3f dB overall, MSE %.4e; the initial K scored %.3f dB, %.3f dB, %.4e",
                dir.modelFile(), best.epoch(), best.validSnrDb(), best.validSnrOverallDb(), best.validMse(),
                first.validSnrDb(), first.validSnrOverallDb(), first.validMse()));
        return ExitCodes.OK;
    }

    private void checkUsage() {
        boolean explicit = !trainDirs.isEmpty() || !validDirs.isEmpty() || !testDirs.isEmpty();
        if (explicit && !dataDirs.isEmpty()) {
            throw new UsageException("give either --data or --train/--valid[/--test], not both");
        }
        if (!explicit && dataDirs.isEmpty()) {
            throw new UsageException("no data: give --train DIR... --valid DIR... or --data DIR...");
        }
        if (explicit && (trainDirs.isEmpty() || validDirs.isEmpty())) {
            throw new UsageException("--train and --valid are both needed");
        }
    }

    private float parseAlpha() {
        if (alpha.trim().equalsIgnoreCase("r")) {
            return Float.NaN;
        }
        try {
            return Float.parseFloat(alpha.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--alpha '" + alpha + "' is neither a number nor r");
        }
    }

    private Operator initialOperator() throws IOException {
        if (init.equals("dct")) {
            try {
                return new Operator(frameLength, frameLength, bits, sampleRate, 1.0, Trainer.STEP_RATIO, iterations,
                        1, "orthonormal DCT-II", Dct.orthonormalDct2(frameLength));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Operator op = ModelFile.read(Path.of(init));
        if (op.theta() != 1.0 || op.stepRatio() != Trainer.STEP_RATIO) {
            throw new UsageException("--init " + init + ": theta = " + op.theta() + ", sigma/tau = " + op.stepRatio()
                    + "; training uses theta = 1 and sigma/tau = " + Trainer.STEP_RATIO);
        }
        return op;
    }

    private Split split() throws IOException {
        if (!dataDirs.isEmpty()) {
            try {
                return Split.byFile(CorpusReader.listFiles(dataDirs), validFraction, testFraction, splitSeed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new Split(CorpusReader.listFiles(trainDirs), CorpusReader.listFiles(validDirs),
                testDirs.isEmpty() ? List.of() : CorpusReader.listFiles(testDirs));
    }

    private String dataDescription(Split split, Corpus train, Corpus valid, FrameSet frames, int rate) {
        String source = dataDirs.isEmpty()
                ? "train " + trainDirs + ", validation " + validDirs + (testDirs.isEmpty() ? "" : ", test " + testDirs)
                : "split of " + dataDirs + " by file (validation " + validFraction + ", test " + testFraction
                + ", seed " + splitSeed + ")";
        return String.format(Locale.ROOT, "%s; training %d files (%d skipped), %d frames; validation %d files (%d"
                        + " skipped), %.1f s; test %d files listed; %d Hz", source, train.files().size(),
                train.skipped().size(), frames.count(), valid.files().size(), valid.skipped().size(),
                valid.samples() / (double) rate, split.test().size(), rate);
    }

    private String provenance(TrainConfig cfg, TrainState s, String data, String started, String commit, int k,
                              int n, int frames) {
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
                cfg.lrEnd(), (long) cfg.epochs() * cfg.stepsPerEpoch(frames), cfg.epochs(), s.epochsDone(),
                s.stoppedEarly() ? " (early stop)" : "", cfg.seed(),
                cfg.stepsPerEpoch() > 0 ? ", at most " + cfg.stepsPerEpoch() + " steps an epoch" : ""));
        p.append("init: ").append(init.equals("dct") ? "orthonormal DCT-II" : init).append(", K ").append(k)
                .append(" x ").append(n).append('\n');
        p.append("data: ").append(data).append('\n');
        p.append("level: ").append(cfg.level().describe()).append('\n');
        if (best != null && first != null) {
            p.append(String.format(Locale.ROOT, "validation (classical inference, L = %d, one frame grid): best epoch"
                            + " %d: MSE %.4e, mean per-file SNR %.3f dB, overall SNR %.3f dB, segmental SNR %.3f dB;"
                            + " initial K: %.3f dB mean per file, %.3f dB overall", cfg.iterations(), best.epoch(),
                    best.validMse(), best.validSnrDb(), best.validSnrOverallDb(), best.validSegSnrDb(),
                    first.validSnrDb(), first.validSnrOverallDb()));
        }
        return p.toString();
    }

    private static void writeList(Path file, List<Path> files) throws IOException {
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
