package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.cli.SchemeOptions;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.NodeQuantizers;
import dev.pdq.operator.Operator;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.quant.StreamKind;
import dev.pdq.train.corpus.Corpus;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.eval.EvalRow;
import dev.pdq.train.eval.EvalSignal;
import dev.pdq.train.eval.FileScore;
import dev.pdq.train.eval.Inference;
import dev.pdq.train.eval.Score;
import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.plot.Charts;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** pdq-train eval: scores the quantized input, K = DCT and a model on WAV files; see trainer/README-train.md. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores the quantized input, K = DCT and an operator on WAV files: MSE, SNR (mean per file"
                + " and overall), segmental SNR and STOI (mean per file) at classical inference (L iterations, through the runtime's"
                + " streaming dequantizer) and at optimality inference (until converged), and the MSE against the"
                + " number of iterations.",
                "Prints a Markdown table on stderr; --out DIR also writes eval.md, eval.csv, files.csv, curve.csv and"
                        + " curve.png."})
public final class EvalCommand implements Callable<Integer> {
    /** The iteration counts of the paper's Fig. 4, up to 1000. */
    static final String DEFAULT_CURVE = "1,2,5,10,20,50,100,200,500,1000";

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "WAV files or folders of them (@FILE reads the paths from FILE, e.g. a run's split-test.txt).")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "FILE|dct", defaultValue = "dct",
            description = "Operator file, or dct (default: ${DEFAULT-VALUE}). K = DCT is always scored too.")
    String model;

    @Option(names = "--bits", description = "Bit depth with --model dct (default: 4; a model file has its own).")
    Integer bits;

    @Mixin
    SchemeOptions schemeOptions = new SchemeOptions();

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "16000",
            description = "Sample rate with --model dct (20 ms frames at it; default: ${DEFAULT-VALUE}); a model file"
                    + " has its own. Files at another rate are skipped.")
    int sampleRate;

    @Option(names = "--silent-zero", description = "Frames whose every cell holds 0 come out as 0 (the exact"
            + " solution), as pdq dequantize --silent-zero.")
    boolean silentZero;

    @Option(names = "--quiet-fallback", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "The quiet fallback of pdq dequantize (default: on, as there; --no-quiet-fallback scores"
                    + " the model everywhere).")
    boolean quietFallback = true;

    @Option(names = "--levels", split = ",", paramLabel = "DB",
            description = "Peak levels in dBFS (e.g. 0,-10,-20,-30): every file peak-normalized, then scaled to each"
                    + " level with the full scale fixed, and scored at each (instead of --level).")
    List<Double> levels = new ArrayList<>();

    @Option(names = {"-L", "--iterations"}, split = ",", paramLabel = "L",
            description = "Classical inference iteration count(s) (default: the model's L; for dct the runtime's"
                    + " default for the bit depth).")
    List<Integer> iterations = new ArrayList<>();

    @Option(names = "--shifts", split = ",", paramLabel = "S", defaultValue = "1",
            description = "Shifted frame grids (cycle spinning) to score, each dividing n (default: ${DEFAULT-VALUE}).")
    List<Integer> shifts;

    @Mixin
    OptimalityOptions optimality = new OptimalityOptions(20000);

    @Option(names = "--curve", paramLabel = "L,...|none", defaultValue = DEFAULT_CURVE,
            description = "Iteration counts of the MSE curve, increasing, or none (default: ${DEFAULT-VALUE}).")
    String curve;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per solver call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for eval.md, eval.csv, files.csv, curve.csv, curve.png.")
    Path out;

    @Mixin
    LevelOptions levelOptions;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() throws Exception {
        Level level = levelOptions.level();
        int[] curvePoints = parseCurve();
        List<Operator> operators = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Operator op = loadModel();
        if (!model.equals("dct")) {
            operators.add(Operator.dct(op.n(), op.bits(), op.sampleRate(), op.trainedIterations())
                    .withScheme(op.scheme(), op.blockLength()));
            names.add("K = DCT");
        }
        operators.add(op);
        names.add(model.equals("dct") ? "K = DCT" : "model " + Path.of(model).getFileName());
        List<Integer> ls = iterations.isEmpty() ? List.of(op.trainedIterations()) : iterations;
        for (int l : ls) {
            if (l < 0) {
                throw PdqException.usage("--iterations " + l + " is negative");
            }
        }
        CountLists.checkShifts(shifts, op.n());
        optimality.check();
        if (batch < 1) {
            throw PdqException.usage("--batch " + batch + " must be at least 1");
        }

        NodeQuantizer quantizer = NodeQuantizers.of(op);
        Corpus corpus = CorpusReader.read(CorpusReader.listFiles(paths), op.sampleRate(), "evaluation");
        for (double db : levels) {
            if (!(db <= 0) || !Double.isFinite(db)) {
                throw PdqException.usage("--levels " + db + " is not a peak level in dBFS (finite, at most 0)");
            }
        }
        List<String> levelNames = new ArrayList<>();
        List<List<EvalSignal>> levelSignals = new ArrayList<>();
        if (levels.isEmpty()) {
            levelNames.add("");
            levelSignals.add(EvalSignal.of(corpus.utterances(), level, quantizer));
        } else {
            for (double db : levels) {
                levelNames.add(new java.math.BigDecimal(Double.toString(db)).stripTrailingZeros().toPlainString() + " dBFS");
                levelSignals.add(EvalSignal.atPeak(corpus.utterances(), db, quantizer, true));
            }
        }
        List<EvalSignal> signals = levelSignals.get(0);
        Logger.info(String.format(Locale.ROOT, "evaluating on %d files (%d skipped), %d utterances, %.1f s, %d-bit %s,"
                        + " level %s", corpus.files().size(), corpus.skipped().size(), signals.size(),
                corpus.samples() / (double) op.sampleRate(), op.bits(), op.scheme(),
                levels.isEmpty() ? level.mode() : "peak at " + String.join(", ", levelNames)));

        Blas blas = compute.blas();
        Inference inference = new Inference(blas, compute.threads(), batch).withSilentZero(silentZero)
                .withQuietFallback(quietFallback);
        List<EvalRow> rows = new ArrayList<>();
        Score firstInput = null;
        for (int v = 0; v < levelSignals.size(); v++) {
            List<EvalSignal> at = levelSignals.get(v);
            String lv = levelNames.get(v);
            List<FileScore> input = Inference.input(at);
            if (firstInput == null) {
                firstInput = Score.of(input);
            }
            rows.addAll(EvalRow.bySet(lv, at, new EvalRow("quantized input", 0, "input", 0, Score.of(input), "",
                    input)));
            for (int o = 0; o < operators.size(); o++) {
                Operator operator = operators.get(o);
                for (int sh : shifts) {
                    for (int l : ls) {
                        long t0 = System.nanoTime();
                        List<FileScore> scores = inference.classical(operator, sh, l, at);
                        rows.addAll(EvalRow.bySet(lv, at, logged(new EvalRow(names.get(o), sh, "classical", l,
                                Score.of(scores), "", scores), lv, t0)));
                    }
                    if (optimality.on) {
                        long t0 = System.nanoTime();
                        Inference.Optimal opt = inference.optimal(operator, sh, optimality.tol,
                                optimality.maxIterations, at);
                        String note = optimality.cappedNote(opt.cappedBatches(), opt.batches());
                        rows.addAll(EvalRow.bySet(lv, at, logged(new EvalRow(names.get(o), sh, "optimality",
                                opt.meanIterations(), Score.of(opt.scores()), note, opt.scores()), lv, t0)));
                    }
                }
            }
        }
        List<Inference.Curve> curves = new ArrayList<>();
        if (curvePoints.length > 0) {
            for (int o = 0; o < operators.size(); o++) {
                long t0 = System.nanoTime();
                curves.add(inference.curve(operators.get(o), curvePoints, signals));
                Logger.info(String.format(Locale.ROOT, "curve of %s done in %.1f s", names.get(o),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }

        String table = markdown(rows, curves, names, firstInput, op, level, corpus);
        System.err.println();
        System.err.println(table);
        if (out != null) {
            write(rows, curves, names, firstInput, table);
        }
        return ExitCodes.OK;
    }

    private EvalRow logged(EvalRow row, String level, long t0) {
        Logger.info(String.format(Locale.ROOT, "%s%s, S = %d, %s: SNR %.3f dB mean per file, %.3f dB overall, STOI"
                        + " %.3f (%.1f s)", level.isEmpty() ? "" : level + ": ", row.operator(), row.shifts(),
                row.inference().equals("classical")
                        ? "L = " + (int) row.iterations()
                        : String.format(Locale.ROOT, "optimality (mean %.0f iterations)", row.iterations()),
                row.score().snrMeanPerFile(), row.score().snrOverall(), row.score().stoi(),
                (System.nanoTime() - t0) * 1e-9));
        return row;
    }

    private Operator loadModel() throws IOException, PdqException {
        if (model.equals("dct")) {
            int b = bits == null ? 4 : bits;
            try {
                return BuiltinModels.dct(new StreamKind(schemeOptions.scheme(), b, sampleRate,
                        schemeOptions.gainBlock()));
            } catch (IllegalArgumentException e) {
                throw PdqException.usage("--bits " + b + ", --scheme " + schemeOptions.scheme() + ": "
                        + e.getMessage());
            }
        }
        Operator op = ModelFile.read(Path.of(model));
        if (bits != null && bits != op.bits()) {
            throw PdqException.usage("--bits " + bits + " but " + model + " is a " + op.bits() + "-bit model");
        }
        if (schemeOptions.scheme() != Scheme.UNIFORM && schemeOptions.scheme() != op.scheme()) {
            throw PdqException.usage("--scheme " + schemeOptions.scheme() + " but " + model + " is for "
                    + op.scheme());
        }
        return op;
    }

    private int[] parseCurve() throws PdqException {
        if (curve.trim().equalsIgnoreCase("none")) {
            return new int[0];
        }
        return CountLists.increasing("--curve", CountLists.parse("--curve", curve)).stream().mapToInt(Integer::intValue)
                .toArray();
    }

    private String markdown(List<EvalRow> rows, List<Inference.Curve> curves, List<String> names, Score input,
                            Operator op, Level level, Corpus corpus) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Evaluation of %s on %d utterances (%d files), %d-bit %s, level %s;"
                        + " optimality: tol %s, cap %d.%n", model, input.files(), corpus.files().size(), op.bits(),
                op.scheme(), levels.isEmpty() ? level.mode() : "peaks at " + levels + " dBFS", optimality.tol,
                optimality.maxIterations));
        java.util.Map<String, List<EvalRow>> bySet = new java.util.LinkedHashMap<>();
        for (EvalRow r : rows) {
            bySet.computeIfAbsent(r.set(), k -> new ArrayList<>()).add(r);
        }
        for (var e : bySet.entrySet()) {
            sb.append('\n');
            if (!e.getKey().isEmpty()) {
                sb.append("**").append(e.getKey()).append("**\n\n");
            }
            sb.append(EvalRow.markdownHeader()).append('\n');
            for (EvalRow r : e.getValue()) {
                sb.append(r.markdown()).append('\n');
            }
        }
        if (!curves.isEmpty()) {
            sb.append("\nMSE (mean per-file SNR, dB) against iterations, one frame grid:\n\n| iterations |");
            for (String n : names) {
                sb.append(' ').append(n).append(" |");
            }
            sb.append("\n| --- |");
            sb.append(" --- |".repeat(names.size()));
            sb.append('\n');
            int[] its = curves.get(0).iterations();
            for (int c = 0; c < its.length; c++) {
                sb.append("| ").append(its[c]).append(" |");
                for (Inference.Curve cv : curves) {
                    sb.append(String.format(Locale.ROOT, " %.4e (%.3f) |", cv.mse()[c], cv.snrMeanPerFile()[c]));
                }
                sb.append('\n');
            }
            sb.append(String.format(Locale.ROOT, "%nQuantized input: MSE %.4e (%.3f dB).%n", input.mse(),
                    input.snrMeanPerFile()));
        }
        return sb.toString();
    }

    private void write(List<EvalRow> rows, List<Inference.Curve> curves, List<String> names, Score input,
                       String table) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("eval.md"), table.getBytes(StandardCharsets.UTF_8));
        StringBuilder csv = new StringBuilder(EvalRow.CSV_HEADER).append('\n');
        for (EvalRow r : rows) {
            csv.append(r.csv()).append('\n');
        }
        AtomicFiles.write(out.resolve("eval.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        List<EvalRow> whole = rows.stream().filter(r -> r.files().size() == rows.get(0).files().size()
                && r.set().equals(rows.get(0).set())).toList();
        StringBuilder files = new StringBuilder("file");
        for (String measure : new String[] {"", " stoi"}) {
            for (EvalRow r : whole) {
                files.append(',').append(csvName(r.operator() + (r.shifts() > 0 ? " S=" + r.shifts() : "") + " "
                        + r.inference() + (r.inference().equals("classical") ? " L=" + (int) r.iterations() : "")
                        + measure));
            }
        }
        files.append('\n');
        for (int f = 0; f < whole.get(0).files().size(); f++) {
            files.append(csvName(whole.get(0).files().get(f).name()));
            for (EvalRow r : whole) {
                files.append(String.format(Locale.ROOT, ",%.4f", r.files().get(f).snrDb()));
            }
            for (EvalRow r : whole) {
                files.append(String.format(Locale.ROOT, ",%.4f", r.files().get(f).stoi()));
            }
            files.append('\n');
        }
        AtomicFiles.write(out.resolve("files.csv"), files.toString().getBytes(StandardCharsets.UTF_8));
        if (!curves.isEmpty()) {
            StringBuilder c = new StringBuilder("operator,iterations,mse,snr_mean_per_file_db\n");
            List<Charts.Series> series = new ArrayList<>();
            for (int o = 0; o < curves.size(); o++) {
                Inference.Curve cv = curves.get(o);
                double[] x = new double[cv.iterations().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = cv.iterations()[i];
                    c.append(String.format(Locale.ROOT, "%s,%d,%.6e,%.4f%n", csvName(names.get(o)),
                            cv.iterations()[i], cv.mse()[i], cv.snrMeanPerFile()[i]));
                }
                series.add(new Charts.Series(names.get(o), x, cv.mse()));
            }
            int[] its = curves.get(0).iterations();
            double[] flat = new double[its.length];
            double[] xs = new double[its.length];
            for (int i = 0; i < its.length; i++) {
                xs[i] = its[i];
                flat[i] = input.mse();
            }
            series.add(new Charts.Series("quantized input", xs, flat));
            AtomicFiles.write(out.resolve("curve.csv"), c.toString().getBytes(StandardCharsets.UTF_8));
            Charts.writePng(out.resolve("curve.png"), "MSE against inference iterations", "iterations",
                    "MSE per sample", true, true, series);
        }
        Logger.info("wrote eval.md, eval.csv, files.csv{} into {}", curves.isEmpty() ? "" : ", curve.csv, curve.png",
                out);
    }

    private static String csvName(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
