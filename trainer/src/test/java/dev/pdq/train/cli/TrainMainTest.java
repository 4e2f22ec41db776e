package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.loop.EpochRecord;
import dev.pdq.train.loop.RunDirectory;
import dev.pdq.train.testing.StdoutStaysEmpty;
import dev.pdq.train.testing.Wavs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on a tiny corpus; nothing may reach stdout. */
@ExtendWith(StdoutStaysEmpty.class)
class TrainMainTest {
    private static final int RATE = 16000;

    @TempDir
    Path dir;

    private Path corpus(String name, int files, long seed) throws IOException {
        Path d = Wavs.speechCorpus(dir, name, files, RATE, seed);
        Files.writeString(d.resolve("notes.txt"), "skipped with a warning");
        return d;
    }

    private String[] trainArgs(Path train, Path valid, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--train", train.toString(), "--valid", valid.toString(),
                "--out", out.toString(), "--frame-length", "32", "-L", "3", "-b", "2", "--epochs", "2", "--batch",
                "4", "--lr-start", "1e-3", "--lr-end", "1e-4", "--threads", "1", "--backend", "java", "--progress",
                "none"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** A training folder of two files and a validation folder of one, their speech drawn from the seed. */
    private record Corpora(Path train, Path valid) { }

    private Corpora corpora(long seed) throws IOException {
        return new Corpora(corpus("train", 2, seed), corpus("valid", 1, seed + 10));
    }

    private String[] trainArgs(Corpora c, Path out, String... extra) {
        return trainArgs(c.train(), c.valid(), out, extra);
    }

    /** Trains with {@link #trainArgs} (the run must succeed) and returns the model's provenance. */
    private String trainedProvenance(Corpora c, Path out, String... extra) throws IOException {
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, out, extra)));
        return ModelFile.read(out.resolve(RunDirectory.MODEL)).provenance();
    }

    @Test
    void trainThenEvalWriteTheirFilesAndNothingToStdout() throws IOException {
        Path train = corpus("train", 3, 10);
        Path valid = corpus("valid", 2, 20);
        Path out = dir.resolve("run");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(train, valid, out)));

        Operator op = ModelFile.read(out.resolve(RunDirectory.MODEL));
        assertEquals(32, op.n());
        assertEquals(3, op.trainedIterations());
        for (String s : List.of("truncated backpropagation, L = 3, b = 2", "lr 0.001 -> 1.0E-4",
                "training 3 files (1 skipped)", "level: peak", "git ", "best epoch")) {
            assertTrue(op.provenance().contains(s), "provenance lacks '" + s + "':\n" + op.provenance());
        }
        List<String> csv = Files.readAllLines(out.resolve(RunDirectory.LOG));
        assertEquals(EpochRecord.CSV_HEADER, csv.get(0));
        assertEquals(4, csv.size(), "header, epoch 0, 1, 2");
        assertEquals(3, Files.readAllLines(out.resolve("split-train.txt")).size());

        Path evalOut = dir.resolve("eval");
        assertEquals(ExitCodes.OK, TrainMain.run("eval", "--model", out.resolve(RunDirectory.MODEL).toString(),
                "--shifts", "1,2", "--curve", "1,3", "--max-iterations", "30", "--threads", "2", "--backend", "java",
                "--out", evalOut.toString(), valid.toString()));
        List<String> rows = Files.readAllLines(evalOut.resolve("eval.csv"));
        assertEquals(1 + 1 + 2 * 2 * 2, rows.size(), "header, input, (DCT, model) x (S = 1, 2) x (classical, opt)");
        assertTrue(rows.get(1).startsWith("quantized input,"));
        assertEquals(1 + 2 * 2, Files.readAllLines(evalOut.resolve("curve.csv")).size());
        assertTrue(Files.size(evalOut.resolve("curve.png")) > 1000);
        assertTrue(Files.readString(evalOut.resolve("eval.md")).contains("| K = DCT | 2 | classical | 3 |"));
        assertEquals(1 + 2, Files.readAllLines(evalOut.resolve("files.csv")).size());
    }

    @Test
    void resumeChecksTheSettingsAndFinishesTheRun() throws IOException {
        Corpora c = corpora(30);
        Path out = dir.resolve("run");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, out)));
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, out)), "a run is there: --resume needed");
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, out, "--resume", "--seed", "9")),
                "other settings");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, out, "--resume")), "nothing left to do");
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, dir.resolve("none"), "--resume")));
    }

    @Test
    void fixedLevelAndRandomSplitRunAndAreRecorded() throws IOException {
        Path data = corpus("data", 6, 50);
        Path out = dir.resolve("run");
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--valid-fraction", "0.2",
                "--test-fraction", "0.2", "--split-seed", "3", "--out", out.toString(), "--frame-length", "32", "-L",
                "2", "-b", "2", "--epochs", "1", "--batch", "4", "--threads", "2", "--backend", "java", "--progress",
                "log", "--level", "fixed", "--gain-low", "-12", "--gain-high", "-6", "--alpha", "r", "--mode",
                "full"));
        assertEquals(ExitCodes.OK, TrainMain.run(a.toArray(new String[0])));
        String p = ModelFile.read(out.resolve(RunDirectory.MODEL)).provenance();
        assertTrue(p.contains("level: fixed") && p.contains("[-12.0, -6.0] dBFS"), p);
        assertTrue(p.contains("full backpropagation, L = 2, alpha = r"), p);
        assertTrue(p.contains("split of [" + data + "] by file"), p);
        assertEquals(1, Files.readAllLines(out.resolve("split-test.txt")).size());
        assertEquals(1, Files.readAllLines(out.resolve("split-valid.txt")).size());
        assertEquals(4, Files.readAllLines(out.resolve("split-train.txt")).size(),
                "7 files (one not audio): 1 validation, 1 test, 5 listed for training of which 4 are audio");
    }

    @Test
    void shiftedGridTrainingRunsAndIsRecorded() throws IOException {
        Corpora c = corpora(60);
        Path out = dir.resolve("run");
        String p = trainedProvenance(c, out, "--shift-grid", "--train-grids", "2");
        assertTrue(p.contains("shifted by a random offset") && p.contains("averaged output of 2 shifted frame grids")
                && p.contains("L = 3, 2 shifted frame grids"), p);
        List<String> csv = Files.readAllLines(out.resolve(RunDirectory.LOG));
        assertEquals(4, csv.size());
        double trainMse = Double.parseDouble(csv.get(3).split(",")[4]);
        assertTrue(trainMse > 0 && Double.isFinite(trainMse), csv.get(3));
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, dir.resolve("bad"), "--train-grids", "3")),
                "3 grids do not divide n = 32");
    }

    @Test
    void weightedLossRunsIsRecordedAndResumesOnlyWithItself() throws IOException {
        Corpora c = corpora(80);
        Path out = dir.resolve("run");
        String p = trainedProvenance(c, out, "--loss", "weighted", "--loss-weight", "0.25");
        assertTrue(p.contains("loss 0.75 * 0.5||y^L - s||^2 + 0.25 * 0.5||W (y^L - s)||^2")
                && p.contains("order 10"), p);
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, out, "--resume")), "resumed with mse");
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, out, "--resume", "--loss", "weighted")),
                "resumed with another weight");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, out, "--resume", "--loss", "weighted",
                "--loss-weight", "0.25")));
        // through the averaged output of shifted grids too
        Path grids = dir.resolve("grids");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, grids, "--loss", "weighted",
                "--train-grids", "2")));
        List<String> csv = Files.readAllLines(grids.resolve(RunDirectory.LOG));
        double trainLoss = Double.parseDouble(csv.get(3).split(",")[4]);
        assertTrue(trainLoss > 0 && Double.isFinite(trainLoss), csv.get(3));
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, dir.resolve("a"), "--loss", "l1")));
        assertEquals(ExitCodes.USAGE, TrainMain.run(trainArgs(c, dir.resolve("b"), "--loss", "weighted",
                "--loss-weight", "1.5")));
    }

    @Test
    void packageSetsTheDefaultsAndGathersTheStages() throws IOException {
        Corpora c = corpora(80);
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, first)));
        assertEquals(ExitCodes.OK, TrainMain.run(trainArgs(c, second, "--init",
                first.resolve(RunDirectory.MODEL).toString(), "--alpha", "r")));
        Path shipped = dir.resolve("shipped.pdqk");
        assertEquals(ExitCodes.OK, TrainMain.run("package", "--model", second.resolve(RunDirectory.MODEL).toString(),
                "--stages", first.resolve(RunDirectory.MODEL).toString(), "-L", "2", "--shifts", "4", "--note",
                "test model", "--out", shipped.toString()));
        Operator op = ModelFile.read(shipped);
        Operator trained = ModelFile.read(second.resolve(RunDirectory.MODEL));
        assertEquals(2, op.trainedIterations());
        assertEquals(4, op.shifts());
        assertArrayEquals(trained.matrix(), op.matrix(), 0f);
        String p = op.provenance();
        assertTrue(p.startsWith("test model\n--- stage 2 ---\n") && p.contains("alpha = r")
                && p.indexOf("--- stage 1 ---") > p.indexOf("alpha = r"), p);
        assertEquals(ExitCodes.USAGE, TrainMain.run("package", "--model", shipped.toString(), "-L", "2", "--shifts",
                "3", "--out", dir.resolve("bad.pdqk").toString()), "3 grids do not divide n = 32");
    }

    @Test
    void growStacksScaledOrthonormalDstRowsUnderK() throws IOException {
        int n = 32;
        Path small = dir.resolve("dct.pdqk");
        ModelFile.write(Operator.dct(n, 4, RATE, 5).withProvenance("the source"), small);
        Path grown = dir.resolve("grown.pdqk");
        assertEquals(ExitCodes.OK, TrainMain.run("grow", "--model", small.toString(), "--dst-scale", "0.5",
                "--out", grown.toString()));
        Operator source = ModelFile.read(small);
        Operator op = ModelFile.read(grown);
        assertEquals(2 * n, op.k());
        assertEquals(5, op.trainedIterations());
        assertTrue(op.provenance().endsWith("\nthe source"), op.provenance());
        float[] k = op.matrix();
        assertArrayEquals(source.matrix(), Arrays.copyOf(k, n * n), 0f);
        // the new rows over 0.5 are orthonormal (D D^T = I) and not the DCT's (D C^T != I: sines, not cosines)
        double worst = 0;
        double overlap = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dd = 0;
                double dc = 0;
                for (int j = 0; j < n; j++) {
                    dd += (k[(n + a) * n + j] / 0.5) * (k[(n + b) * n + j] / 0.5);
                    dc += (k[(n + a) * n + j] / 0.5) * k[b * n + j];
                }
                worst = Math.max(worst, Math.abs(dd - (a == b ? 1 : 0)));
                overlap = Math.max(overlap, Math.abs(dc));
            }
        }
        assertTrue(worst < 1e-5, "D D^T - I: " + worst);
        assertTrue(overlap < 0.99, "a DST row equals a DCT row: " + overlap);
        assertEquals(ExitCodes.USAGE, TrainMain.run("grow", "--model", small.toString(), "--dst-scale", "0",
                "--out", dir.resolve("bad.pdqk").toString()));
    }

    @Test
    void progressBarsAndLogsUseStderrOnly() {
        for (dev.pdq.train.loop.Progress.Mode m : dev.pdq.train.loop.Progress.Mode.values()) {
            try (dev.pdq.train.loop.Progress p = dev.pdq.train.loop.Progress.create(m)) {
                p.start("task", 3);
                for (int i = 1; i <= 3; i++) {
                    p.update(i, "step " + i);
                }
            }
        }
    }

    @Test
    void usageErrorsExitWithTwoAndHelpGoesToStderr() {
        assertEquals(ExitCodes.USAGE, TrainMain.run());
        assertEquals(ExitCodes.USAGE, TrainMain.run("train", "--out", dir.toString()), "no data");
        assertEquals(ExitCodes.USAGE, TrainMain.run("train", "--bogus"));
        assertEquals(ExitCodes.USAGE, TrainMain.run("eval", "--curve", "5,2", dir.toString()));
        assertEquals(ExitCodes.OK, TrainMain.run("--help"));
        assertEquals(ExitCodes.OK, TrainMain.run("train", "--help"));
        assertEquals(ExitCodes.OK, TrainMain.run("--version"));
    }

    @Test
    void anEmptyCorpusFailsWithOne() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("x.txt"), "no audio");
        assertEquals(ExitCodes.FAILURE, TrainMain.run(trainArgs(empty, empty, dir.resolve("run"))));
        assertEquals(ExitCodes.FAILURE, TrainMain.run("eval", "--backend", "java", empty.toString()));
    }
}
