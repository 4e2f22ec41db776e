package dev.pdq.train.experiment;

import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.plot.Charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The files of an experiment, rewritten (atomically) after every training run so that a long experiment leaves its
 * results so far:
 *
 * <pre>
 *   scores.csv          every test score ({@link ScoreRow#CSV_HEADER})
 *   runs.csv            every training run's cost ({@link RunSummary#CSV_HEADER})
 *   experiment.md       the tables: test MSE/SNR/STOI against L (Fig. 3), SNR for S = 1, 2, 4, time and memory (Fig. 4)
 *   mse-vs-L.png        test MSE against L: full and truncated, classical and optimality inference, K = DCT, input
 *   snr-shifts-vs-L.png test mean per-file SNR against L at classical inference for S = 1, 2, 4
 *   time-vs-L.png       seconds per training epoch against L, full and truncated
 *   memory-vs-L.png     peak heap and gradient workspace against L, full and truncated
 * </pre>
 */
public final class ExperimentReport {
    public static final String SCORES = "scores.csv";
    public static final String RUNS = "runs.csv";
    public static final String MARKDOWN = "experiment.md";
    public static final String MSE_PNG = "mse-vs-L.png";
    public static final String SHIFTS_PNG = "snr-shifts-vs-L.png";
    public static final String TIME_PNG = "time-vs-L.png";
    public static final String MEMORY_PNG = "memory-vs-L.png";

    static final String[] MODES = {"full", "truncated"};

    private final Path dir;
    private final String header;
    private final List<ScoreRow> scores = new ArrayList<>();
    private final List<RunSummary> runs = new ArrayList<>();

    /** @param header the settings, a Markdown paragraph at the top of experiment.md */
    public ExperimentReport(Path dir, String header) {
        this.dir = dir;
        this.header = header;
    }

    public void add(ScoreRow row) {
        scores.add(row);
    }

    public void add(RunSummary run) {
        runs.add(run);
    }

    public List<ScoreRow> scores() {
        return List.copyOf(scores);
    }

    public List<RunSummary> runs() {
        return List.copyOf(runs);
    }

    /** Writes every file from what has been added so far. */
    public void write() throws IOException {
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder(ScoreRow.CSV_HEADER).append('\n');
        for (ScoreRow r : scores) {
            s.append(r.csv()).append('\n');
        }
        AtomicFiles.write(dir.resolve(SCORES), s.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder r = new StringBuilder(RunSummary.CSV_HEADER).append('\n');
        for (RunSummary run : runs) {
            r.append(run.csv()).append('\n');
        }
        AtomicFiles.write(dir.resolve(RUNS), r.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(MARKDOWN), markdown().getBytes(StandardCharsets.UTF_8));
        plots();
    }

    /** The L of every score and run, increasing. */
    private List<Integer> ls() {
        TreeSet<Integer> set = new TreeSet<>();
        for (ScoreRow row : scores) {
            if (row.trainedL() > 0) {
                set.add(row.trainedL());
            }
        }
        for (RunSummary run : runs) {
            set.add(run.iterations());
        }
        return new ArrayList<>(set);
    }

    private Optional<ScoreRow> find(String operator, int l, String inference, int shifts) {
        return scores.stream().filter(x -> x.operator().equals(operator) && x.inference().equals(inference)
                && x.shifts() == shifts && (x.trainedL() == l || inference.equals("input"))).findFirst();
    }

    private Optional<RunSummary> run(String mode, int l) {
        return runs.stream().filter(x -> x.mode().equals(mode) && x.iterations() == l).findFirst();
    }

    /** The three tables. */
    public String markdown() {
        StringBuilder sb = new StringBuilder(header).append("\n\n");
        Optional<ScoreRow> input = find("quantized input", 0, "input", 0);
        input.ifPresent(in -> sb.append(String.format(Locale.ROOT, "Quantized input on the test files: MSE %.4e,"
                + " mean per-file SNR %.3f dB, mean per-file STOI %.3f.%n%n", in.score().mse(),
                in.score().snrMeanPerFile(), in.score().stoi())));

        sb.append("Test MSE (mean per-file SNR in dB, mean per-file STOI) against the trained L, one frame grid"
                + " (Fig. 3). Classical: L iterations; optimality: until converged or the cap (mean iterations a frame"
                + " in brackets).\n\n");
        sb.append("| L | K = DCT, classical | full, classical | truncated, classical | K = DCT, optimality |"
                + " full, optimality | truncated, optimality |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (int l : ls()) {
            sb.append("| ").append(l).append(" |");
            for (String op : new String[] {"dct", "full", "truncated"}) {
                sb.append(' ').append(cell(find(op, l, "classical", 1), false)).append(" |");
            }
            for (String op : new String[] {"dct", "full", "truncated"}) {
                sb.append(' ').append(cell(find(op, l, "optimality", 1), true)).append(" |");
            }
            sb.append('\n');
        }

        List<Integer> shifts = new ArrayList<>(new TreeSet<>(scores.stream()
                .filter(x -> x.inference().equals("classical")).map(ScoreRow::shifts).toList()));
        sb.append("\nTest mean per-file SNR (dB) at classical inference (L iterations) on S shifted frame grids; a"
                + " frame-iteration costs the same for every S, so S grids at L cost as one grid at S*L.\n\n| operator"
                + " | L |");
        for (int s : shifts) {
            sb.append(" S = ").append(s).append(" |");
        }
        sb.append("\n| --- | --- |").append(" --- |".repeat(shifts.size())).append('\n');
        for (String op : new String[] {"dct", "full", "truncated"}) {
            for (int l : ls()) {
                if (find(op, l, "classical", shifts.isEmpty() ? 1 : shifts.get(0)).isEmpty()) {
                    continue;
                }
                sb.append("| ").append(name(op)).append(" | ").append(l).append(" |");
                for (int s : shifts) {
                    sb.append(' ').append(find(op, l, "classical", s).map(x -> String.format(Locale.ROOT, "%.3f",
                            x.score().snrMeanPerFile())).orElse("-")).append(" |");
                }
                sb.append('\n');
            }
        }

        sb.append("\nTraining cost (Fig. 4): wall time of an epoch's training steps (validation excluded), training"
                + " frames per second, peak heap of an epoch, gradient workspace (off-heap with a native BLAS),"
                + " and truncated / full time.\n\n| L | b | full s/epoch | truncated s/epoch | truncated / full |"
                + " full frames/s | truncated frames/s | full peak heap MiB | truncated peak heap MiB |"
                + " full workspace MiB | truncated workspace MiB |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
                + " --- | --- | --- |\n");
        for (int l : ls()) {
            Optional<RunSummary> f = run("full", l);
            Optional<RunSummary> t = run("truncated", l);
            if (f.isEmpty() && t.isEmpty()) {
                continue;
            }
            String ratio = f.isPresent() && t.isPresent() ? String.format(Locale.ROOT, "%.2f",
                    t.get().secondsPerEpoch() / f.get().secondsPerEpoch()) : "-";
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", l,
                    t.map(x -> Integer.toString(x.backpropSteps())).orElse("-"),
                    num(f, "%.1f", RunSummary::secondsPerEpoch), num(t, "%.1f", RunSummary::secondsPerEpoch), ratio,
                    num(f, "%.0f", RunSummary::framesPerSecond), num(t, "%.0f", RunSummary::framesPerSecond),
                    num(f, "%.0f", RunSummary::peakHeapMib), num(t, "%.0f", RunSummary::peakHeapMib),
                    num(f, "%.1f", RunSummary::workspaceMib), num(t, "%.1f", RunSummary::workspaceMib)));
        }
        return sb.toString();
    }

    private static String name(String op) {
        return op.equals("dct") ? "K = DCT" : op;
    }

    private static String cell(Optional<ScoreRow> row, boolean optimality) {
        return row.map(x -> String.format(Locale.ROOT, "%.4e (%.3f, %.3f)", x.score().mse(),
                        x.score().snrMeanPerFile(), x.score().stoi())
                + (optimality ? String.format(Locale.ROOT, " [%.0f%s]", x.iterations(),
                x.note().isEmpty() ? "" : ", capped") : "")).orElse("-");
    }

    private static String num(Optional<RunSummary> run, String format,
                              java.util.function.ToDoubleFunction<RunSummary> field) {
        return run.map(x -> String.format(Locale.ROOT, format, field.applyAsDouble(x))).orElse("-");
    }

    private void plots() throws IOException {
        List<Integer> ls = ls();
        double[] x = new double[ls.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ls.get(i);
        }
        List<Charts.Series> mse = new ArrayList<>();
        for (String op : new String[] {"full", "truncated", "dct"}) {
            for (String inf : new String[] {"classical", "optimality"}) {
                mse.add(new Charts.Series(name(op) + ", " + inf, x, scoreSeries(ls, op, inf, 1, true)));
            }
        }
        Optional<ScoreRow> input = find("quantized input", 0, "input", 0);
        if (input.isPresent()) {
            double[] flat = new double[x.length];
            java.util.Arrays.fill(flat, input.get().score().mse());
            mse.add(new Charts.Series("quantized input", x, flat));
        }
        Charts.writePng(dir.resolve(MSE_PNG), "Test MSE against the trained L", "L (trained iterations)",
                "MSE per sample", true, true, mse);

        List<Charts.Series> snr = new ArrayList<>();
        TreeSet<Integer> shifts = new TreeSet<>(scores.stream().filter(r -> r.inference().equals("classical"))
                .map(ScoreRow::shifts).toList());
        for (String op : new String[] {"full", "truncated", "dct"}) {
            for (int s : shifts) {
                snr.add(new Charts.Series(name(op) + ", S = " + s, x, scoreSeries(ls, op, "classical", s, false)));
            }
        }
        Charts.writePng(dir.resolve(SHIFTS_PNG), "Test SNR at classical inference on S frame grids",
                "L (trained and inference iterations)", "mean per-file SNR (dB)", true, false, snr);

        List<Charts.Series> time = new ArrayList<>();
        List<Charts.Series> memory = new ArrayList<>();
        for (String mode : MODES) {
            time.add(new Charts.Series(mode, x, runSeries(ls, mode, RunSummary::secondsPerEpoch)));
            memory.add(new Charts.Series(mode + ", peak heap", x, runSeries(ls, mode, RunSummary::peakHeapMib)));
            memory.add(new Charts.Series(mode + ", gradient workspace", x,
                    runSeries(ls, mode, RunSummary::workspaceMib)));
        }
        Charts.writePng(dir.resolve(TIME_PNG), "Training time per epoch", "L", "seconds per epoch", true, true, time);
        Charts.writePng(dir.resolve(MEMORY_PNG), "Training memory", "L", "MiB", true, true, memory);
    }

    private double[] scoreSeries(List<Integer> ls, String op, String inference, int shifts, boolean mse) {
        double[] y = new double[ls.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = find(op, ls.get(i), inference, shifts).map(r -> mse ? r.score().mse() : r.score().snrMeanPerFile())
                    .orElse(Double.NaN);
        }
        return y;
    }

    private double[] runSeries(List<Integer> ls, String mode, java.util.function.ToDoubleFunction<RunSummary> f) {
        double[] y = new double[ls.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = run(mode, ls.get(i)).map(f::applyAsDouble).orElse(Double.NaN);
        }
        return y;
    }
}
