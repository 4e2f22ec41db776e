package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.cli.BitsOption;
import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.cli.SchemeOptions;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.NodeQuantizers;
import dev.pdq.operator.Operator;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Split;
import dev.pdq.train.eval.EvalRow;
import dev.pdq.train.eval.EvalSignal;
import dev.pdq.train.eval.FileScore;
import dev.pdq.train.eval.Inference;
import dev.pdq.train.eval.Score;
import dev.pdq.train.experiment.ExperimentReport;
import dev.pdq.train.experiment.RunSummary;
import dev.pdq.train.experiment.ScoreRow;
import dev.pdq.train.loop.GradientMode;
import dev.pdq.train.loop.Progress;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.loop.TrainConfig;
import dev.pdq.train.run.TrainingRun;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * pdq-train experiment: the paper's Fig. 3 (test MSE against L, full and truncated backpropagation, classical and
 * optimality inference) and Fig. 4 (training time against L) in one command; see trainer/README-train.md.
 * Every training run is a {@link TrainingRun} in OUT/runs/MODE-L; a run folder that holds a checkpoint is resumed
 * (a finished run is only re-scored), so an interrupted experiment continues where it stopped.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For each L of a list, trains K with full and with truncated backpropagation and scores it on"
                + " test files at classical inference (L iterations; S = 1, 2, 4 frame grids) and at optimality"
                + " inference (until converged), with the time and memory of training.",
                "Writes into --out: experiment.md, scores.csv, runs.csv, mse-vs-L.png, snr-shifts-vs-L.png,"
                        + " time-vs-L.png, memory-vs-L.png, and runs/MODE-L/ (each a train run folder)."})
public final class ExperimentCommand implements Callable<Integer> {
    /** Fits 2 cores in well under two hours (measured: see trainer/EXPERIMENTS.md). */
    static final String DEFAULT_LIST = "10,30,100,300,1000";
    /** The paper's list. */
    static final String FULL_LIST = "10,20,50,100,200,500,1000";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", required = true, arity = "1..*", paramLabel = "DIR", description = "Training folder(s).")
    List<Path> trainDirs;

    @Option(names = "--valid", required = true, arity = "1..*", paramLabel = "DIR",
            description = "Validation folder(s). Without --test their files are split in two halves by file"
                    + " (seeded by --split-seed): one for validation (early stopping), one for the test scores.")
    List<Path> validDirs;

    @Option(names = "--test", arity = "1..*", paramLabel = "DIR",
            description = "Test folder(s); --valid is then used whole for validation.")
    List<Path> testDirs = new ArrayList<>();

    @Option(names = "--split-seed", defaultValue = "1", description = "Seed of the validation/test halves (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--full", description = "The paper's set-up: L = " + FULL_LIST + ", 20 whole epochs, lr 1e-5 -> 1e-8,"
            + " optimality on every test file with cap 20000 (options given explicitly still win). Without it each"
            + " run trains at most 500 steps, the same training frames for every L.")
    boolean full;

    @Option(names = {"-L", "--iterations", "--iterations-list"}, split = ",", paramLabel = "L",
            defaultValue = DEFAULT_LIST, description = "The L to train, increasing (default: ${DEFAULT-VALUE}).")
    List<Integer> iterations;

    @Option(names = "--modes", paramLabel = "MODE", defaultValue = "full,truncated", split = ",",
            converter = GradientModeNames.class, description = "Backpropagation modes (default: ${DEFAULT-VALUE}).")
    List<GradientMode> modes;

    @Mixin
    BackpropOptions backprop = new BackpropOptions();

    @Mixin
    ScheduleOptions schedule = new ScheduleOptions(1, 500, 1e-4, 1e-6);

    @Mixin
    BitsOption bitsOption = new BitsOption();

    @Mixin
    FrameLengthOption frameLength = new FrameLengthOption();

    @Option(names = "--sample-rate", defaultValue = "16000", description = "Hz (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--shifts", split = ",", paramLabel = "S", defaultValue = "1,2,4",
            description = "Frame grids scored at classical inference (default: ${DEFAULT-VALUE}).")
    List<Integer> shifts;

    @Mixin
    OptimalityOptions optimality = new OptimalityOptions(3000);

    @Option(names = "--optimality-files", defaultValue = "10",
            description = "Optimality inference on the first N test files (by path), 0 for all (default:"
                    + " ${DEFAULT-VALUE}; --full: all).")
    int optimalityFiles;

    @Mixin
    LevelOptions levelOptions;

    @Mixin
    SchemeOptions schemeOptions = new SchemeOptions();

    @Option(names = "--levels", split = ",", paramLabel = "DB",
            description = "Also score the classical rows with every test file peak-normalized and scaled to each of"
                    + " these peak levels in dBFS (a row each).")
    List<Double> levels = new ArrayList<>();

    @Mixin
    ComputeOptions compute;

    /** Bits, checked. */
    private int bits;
    /** The test signals at each --levels level, with the level's name. */
    private final java.util.Map<String, List<EvalSignal>> levelSignals = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        applyFullPreset();
        List<Integer> ls = CountLists.increasing("--iterations", iterations);
        bits = bitsOption.bits();
        checkUsage();
        Level level = levelOptions.level();
        Split<Path> split = split();
        NodeQuantizer quantizer = NodeQuantizers.of(schemeOptions.scheme(), bits, schemeOptions.gainBlock());
        Corpus test = CorpusReader.read(split.test(), sampleRate, "test");
        List<EvalSignal> signals = EvalSignal.of(test.utterances(), level, quantizer);
        for (double db : levels) {
            if (!(db <= 0) || !Double.isFinite(db)) {
                throw PdqException.usage("--levels " + db + " is not a peak level in dBFS (finite, at most 0)");
            }
            levelSignals.put(new java.math.BigDecimal(Double.toString(db)).stripTrailingZeros().toPlainString()
                    + " dBFS", EvalSignal.atPeak(test.utterances(), db, quantizer, true));
        }
        List<EvalSignal> optSignals = optimalityFiles > 0 && optimalityFiles < signals.size()
                ? signals.subList(0, optimalityFiles) : signals;
        Blas blas = compute.blas();
        int threads = compute.threads();
        Inference inference = new Inference(blas, threads, schedule.batch);

        String header = header(ls, split, test, optSignals.size(), level, blas, threads);
        Logger.info("experiment: {}", header.replace('\n', ' '));
        ExperimentReport report = new ExperimentReport(out, header);
        List<FileScore> input = Inference.input(signals);
        report.add(new ScoreRow("quantized input", 0, "input", 0, 0, Score.of(input), ""));

        long t0 = System.nanoTime();
        ScoreRow dctOptimal = null;
        for (int l : ls) {
            Operator dct = Operator.dct(frameLength.n, bits, sampleRate, l)
                    .withScheme(schemeOptions.scheme(), schemeOptions.gainBlock());
            score(report, inference, "dct", l, dct, signals, null);
            if (optimality.on) {
                if (dctOptimal == null) {
                    dctOptimal = optimal(inference, "dct", l, dct, optSignals);
                }
                report.add(new ScoreRow("dct", l, "optimality", 1, dctOptimal.iterations(), dctOptimal.score(),
                        (dctOptimal.note().isEmpty() ? "" : dctOptimal.note() + "; ")
                                + "independent of L: computed once"));
            }
            report.write();
            for (GradientMode mode : modes) {
                Path runDir = out.resolve("runs").resolve(mode + "-L" + l);
                long r0 = System.nanoTime();
                TrainingRun.Result result = train(mode, l, split, level, runDir, blas, threads);
                double wall = (System.nanoTime() - r0) * 1e-9;
                int b = mode == GradientMode.FULL ? 0 : Math.min(backprop.steps, l);
                report.add(RunSummary.of(mode.toString(), l, b, result.state().log(), result.state().bestEpoch(),
                        result.workspaceBytes() / (1024.0 * 1024.0), wall));
                Operator model = ModelFile.read(result.dir().modelFile());
                score(report, inference, mode.toString(), l, model, signals, optSignals);
                report.write();
                Logger.info(String.format(Locale.ROOT, "experiment: %s L = %d done (%.0f s; %.0f s so far)", mode, l,
                        (System.nanoTime() - r0) * 1e-9, (System.nanoTime() - t0) * 1e-9));
            }
        }
        System.err.println();
        System.err.println(report.markdown());
        Logger.info(String.format(Locale.ROOT, "experiment done in %.0f s; wrote %s, %s, %s and the plots into %s",
                (System.nanoTime() - t0) * 1e-9, ExperimentReport.MARKDOWN, ExperimentReport.SCORES,
                ExperimentReport.RUNS, out));
        return ExitCodes.OK;
    }

    /** Classical rows for every S; the optimality row when {@code optSignals} is given and optimality is on. */
    private void score(ExperimentReport report, Inference inference, String name, int l, Operator op,
                       List<EvalSignal> signals, List<EvalSignal> optSignals) {
        for (int s : shifts) {
            long t0 = System.nanoTime();
            List<FileScore> files = inference.classical(op, s, l, signals);
            Score score = Score.of(files);
            report.add(new ScoreRow(name, l, "classical", s, l, score, ""));
            for (var g : EvalRow.byCorpus(signals, files).entrySet()) {
                report.add(new ScoreRow(name + " on " + g.getKey(), l, "classical", s, l, Score.of(g.getValue()), ""));
            }
            Logger.info(String.format(Locale.ROOT, "%s L = %d, S = %d, classical: test SNR %.3f dB mean per file,"
                    + " MSE %.4e (%.1f s)", name, l, s, score.snrMeanPerFile(), score.mse(), (System.nanoTime() - t0)
                    * 1e-9));
            for (var lv : levelSignals.entrySet()) {
                Score at = Score.of(inference.classical(op, s, l, lv.getValue()));
                report.add(new ScoreRow(name + " at " + lv.getKey(), l, "classical", s, l, at, ""));
            }
        }
        if (optimality.on && optSignals != null) {
            report.add(optimal(inference, name, l, op, optSignals));
        }
    }

    private ScoreRow optimal(Inference inference, String name, int l, Operator op, List<EvalSignal> signals) {
        long t0 = System.nanoTime();
        Inference.Optimal opt = inference.optimal(op, 1, optimality.tol, optimality.maxIterations, signals);
        String note = optimality.cappedNote(opt.cappedBatches(), opt.batches());
        Score score = Score.of(opt.scores());
        Logger.info(String.format(Locale.ROOT, "%s L = %d, optimality: SNR %.3f dB mean per file on %d files, mean"
                        + " %.0f iterations%s (%.1f s)", name, l, score.snrMeanPerFile(), signals.size(),
                opt.meanIterations(), note.isEmpty() ? "" : ", " + note, (System.nanoTime() - t0) * 1e-9));
        return new ScoreRow(name, l, "optimality", 1, opt.meanIterations(), score, note);
    }

    private TrainingRun.Result train(GradientMode mode, int l, Split<Path> split, Level level, Path runDir, Blas blas,
                                     int threads) throws IOException, PdqException {
        TrainConfig cfg;
        try {
            cfg = schedule.applyTo(TrainConfig.builder()).mode(mode).iterations(l)
                    .backpropSteps(Math.min(backprop.steps, l)).alpha(backprop.alpha).bits(bits).level(level)
                    .scheme(schemeOptions.scheme(), schemeOptions.gainBlock()).build();
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(e.getMessage());
        }
        boolean resume = Files.isRegularFile(runDir.resolve(RunDirectory.CHECKPOINT));
        if (resume) {
            Logger.info("experiment: {} holds a run: resuming it (a finished run is only re-scored)", runDir);
        }
        TrainingRun.Spec run = new TrainingRun.Spec(cfg, TrainingRun.dctInitial(frameLength.n, bits, sampleRate, l),
                "dct", split, "experiment: train " + trainDirs + ", validation " + describeValid(), runDir, resume);
        try (Progress progress = compute.progress()) {
            return TrainingRun.run(run, blas, threads, progress);
        }
    }

    void applyFullPreset() {
        if (!full) {
            return;
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--iterations")) {
            iterations = Arrays.stream(FULL_LIST.split(",")).map(Integer::valueOf).toList();
        }
        if (!parsed.hasMatchedOption("--steps-per-epoch")) {
            schedule.stepsPerEpoch = 0;
        }
        if (!parsed.hasMatchedOption("--epochs")) {
            schedule.epochs = 20;
        }
        if (!parsed.hasMatchedOption("--lr-start")) {
            schedule.lrStart = 1e-5;
        }
        if (!parsed.hasMatchedOption("--lr-end")) {
            schedule.lrEnd = 1e-8;
        }
        if (!parsed.hasMatchedOption("--optimality-files")) {
            optimalityFiles = 0;
        }
        if (!parsed.hasMatchedOption("--max-iterations")) {
            optimality.maxIterations = 20000;
        }
    }

    private void checkUsage() throws PdqException {
        if (modes.isEmpty()) {
            throw PdqException.usage("--modes: give full, truncated or both");
        }
        CountLists.checkShifts(shifts, frameLength.n);
        optimality.check();
        if (optimalityFiles < 0) {
            throw PdqException.usage("--optimality-files " + optimalityFiles + " is negative");
        }
    }

    private Split<Path> split() throws IOException, PdqException {
        List<Path> train = CorpusReader.listFiles(trainDirs);
        List<Path> valid = CorpusReader.listFiles(validDirs);
        if (!testDirs.isEmpty()) {
            return new Split<>(train, valid, CorpusReader.listFiles(testDirs));
        }
        if (valid.size() < 2) {
            throw PdqException.usage("--valid: " + valid.size() + " file(s) cannot be split into validation and test"
                    + " halves; give at least 2, or --test DIR");
        }
        // Split.byFile's seeded shuffle: its "validation" half validates, the rest is the test half
        Split<Path> halves = Split.byFile(valid, 0.5, 0, splitSeed);
        return new Split<>(train, halves.valid(), halves.train());
    }

    private String describeValid() {
        return testDirs.isEmpty() ? "half of " + validDirs + " (split seed " + splitSeed + "), test the other half"
                : validDirs + ", test " + testDirs;
    }

    private String header(List<Integer> ls, Split<Path> split, Corpus test, int optFiles, Level level, Blas blas,
                          int threads) {
        return String.format(Locale.ROOT, "Experiment: L = %s, modes %s (truncated b = min(%d, L)), %d epoch(s)%s,"
                        + " batch %d, lr %s -> %s, alpha %s, seed %d, %d bits, n = %d, level %s.%n%nData: training %s"
                        + " (%d files); validation %s (%d files); test %d files (%d utterances, %.1f s).%n%nTest"
                        + " scores: classical inference at L on S = %s frame grids over every test file; optimality"
                        + " inference (one grid) %s.%n%nEngine: %d worker(s), BLAS %s.",
                ls, modes, backprop.steps, schedule.epochs, schedule.stepsPerEpoch > 0 ? " of at most "
                        + schedule.stepsPerEpoch + " steps" : "", schedule.batch, schedule.lrStart, schedule.lrEnd,
                Float.isNaN(backprop.alpha) ? "r" : backprop.alpha, schedule.seed, bits, frameLength.n, level.mode(),
                trainDirs, split.train().size(),
                describeValid(), split.valid().size(), test.files().size(), test.utterances().size(),
                test.samples() / (double) sampleRate, shifts, optimality.on ? String.format(Locale.ROOT, "on the first %d"
                                + " test utterances (by path), tol %s, cap %d iterations", optFiles, optimality.tol,
                        optimality.maxIterations)
                        : "off", threads, blas.description());
    }
}
