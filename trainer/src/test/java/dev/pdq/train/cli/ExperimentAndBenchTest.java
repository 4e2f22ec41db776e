package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.operator.ModelFile;
import dev.pdq.train.experiment.ExperimentReport;
import dev.pdq.train.experiment.RunSummary;
import dev.pdq.train.experiment.ScoreRow;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** experiment and bench end to end on a tiny synthetic corpus (n = 32); nothing may reach stdout. */
@ExtendWith(StdoutStaysEmpty.class)
class ExperimentAndBenchTest {
    private static final int RATE = 16000;

    @TempDir
    Path dir;

    private Path corpus(String name, int files, long seed) throws IOException {
        return Wavs.speechCorpus(dir, name, files, RATE, seed);
    }

    private String[] experimentArgs(Path train, Path valid, Path out) {
        return new String[] {"experiment", "--train", train.toString(), "--valid", valid.toString(), "--out",
                out.toString(), "--frame-length", "32", "--iterations-list", "2,4", "-b", "3", "--epochs", "1",
                "--batch", "4", "--lr-start", "1e-3", "--lr-end", "1e-4", "--optimality-files", "1",
                "--max-iterations", "30", "--threads", "2", "--backend", "java", "--progress", "none"};
    }

    @Test
    void experimentWritesEveryTableRowAndResumes() throws IOException {
        Path train = corpus("train", 3, 10);
        Path valid = corpus("valid", 4, 20);
        Path out = dir.resolve("exp");
        assertEquals(ExitCodes.OK, TrainMain.run(experimentArgs(train, valid, out)));

        List<String> scores = Files.readAllLines(out.resolve(ExperimentReport.SCORES));
        assertEquals(ScoreRow.CSV_HEADER, scores.get(0));
        // input once; per L: (K = DCT, full, truncated) x (S = 1, 2, 4 classical + 1 optimality)
        assertEquals(1 + 1 + 2 * 3 * 4, scores.size(), String.join("\n", scores));
        assertTrue(scores.get(1).startsWith("quantized input,0,input,"));
        Set<String> keys = new HashSet<>();
        for (String row : scores.subList(2, scores.size())) {
            String[] f = row.split(",");
            keys.add(f[0] + " " + f[1] + " " + f[2] + " " + f[3]);
            assertEquals(f[2].equals("optimality") ? "1" : "2", f[5],
                    "test files: the other half of 4 validation files (optimality: --optimality-files 1): " + row);
            assertTrue(Double.parseDouble(f[6]) > 0 && Double.parseDouble(f[7]) > 0, row);
        }
        for (String op : List.of("dct", "full", "truncated")) {
            for (int l : new int[] {2, 4}) {
                for (int s : new int[] {1, 2, 4}) {
                    assertTrue(keys.contains(op + " " + l + " classical " + s), op + " L=" + l + " S=" + s);
                }
                assertTrue(keys.contains(op + " " + l + " optimality 1"), op + " L=" + l + " optimality");
            }
        }

        List<String> runs = Files.readAllLines(out.resolve(ExperimentReport.RUNS));
        assertEquals(RunSummary.CSV_HEADER, runs.get(0));
        assertEquals(List.of("full,2,,1", "truncated,2,2,1", "full,4,,1", "truncated,4,3,1"),
                runs.subList(1, runs.size()).stream().map(r -> String.join(",", List.of(r.split(",", -1))
                        .subList(0, 4))).toList(), "mode, L, b = min(3, L), epochs");
        for (String r : runs.subList(1, runs.size())) {
            String[] f = r.split(",", -1);
            assertTrue(Double.parseDouble(f[5]) > 0 && Double.parseDouble(f[6]) > 0, "time and frames/s: " + r);
            assertTrue(Double.parseDouble(f[8]) > 0, "workspace: " + r);
        }
        double fullL2 = Double.parseDouble(runs.get(1).split(",")[8]);
        double fullL4 = Double.parseDouble(runs.get(3).split(",")[8]);
        double truncL2 = Double.parseDouble(runs.get(2).split(",")[8]);
        double truncL4 = Double.parseDouble(runs.get(4).split(",")[8]);
        assertTrue(fullL4 > fullL2, "full workspace grows with L");
        assertEquals(truncL2, truncL4, 1e-9, "truncated workspace does not depend on L");

        String md = Files.readString(out.resolve(ExperimentReport.MARKDOWN));
        for (String s : List.of("| 2 | ", "| 4 | ", "| truncated | 4 | ", "| K = DCT | 2 | ", "S = 4", "truncated / full")) {
            assertTrue(md.contains(s), "experiment.md lacks '" + s + "':\n" + md);
        }
        for (String png : List.of(ExperimentReport.MSE_PNG, ExperimentReport.SHIFTS_PNG, ExperimentReport.TIME_PNG,
                ExperimentReport.MEMORY_PNG)) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        for (String run : List.of("full-L2", "truncated-L2", "full-L4", "truncated-L4")) {
            assertEquals(Integer.parseInt(run.substring(run.indexOf('L') + 1)),
                    ModelFile.read(out.resolve("runs").resolve(run).resolve(RunDirectory.MODEL)).trainedIterations());
        }
        List<String> validHalf = Files.readAllLines(out.resolve("runs/full-L2/split-valid.txt"));
        List<String> testHalf = Files.readAllLines(out.resolve("runs/full-L2/split-test.txt"));
        assertEquals(2, validHalf.size());
        assertEquals(2, testHalf.size());
        assertTrue(validHalf.stream().noneMatch(testHalf::contains), "validation and test halves are disjoint");

        // run again: every run folder is finished, so it is re-scored, not retrained
        List<String> log = Files.readAllLines(out.resolve("runs/truncated-L4").resolve(RunDirectory.LOG));
        assertEquals(ExitCodes.OK, TrainMain.run(experimentArgs(train, valid, out)));
        assertEquals(log, Files.readAllLines(out.resolve("runs/truncated-L4").resolve(RunDirectory.LOG)));
        assertEquals(scores.size(), Files.readAllLines(out.resolve(ExperimentReport.SCORES)).size());
    }

    /** With test files from two folders, every classical score also gets a row per folder, of its files only. */
    @Test
    void experimentScoresEachTestCorpusSeparately() throws IOException {
        Path train = corpus("train", 3, 10);
        Path valid = corpus("valid", 2, 20);
        Path one = corpus("one", 2, 30);
        Path two = corpus("two", 3, 40);
        Path out = dir.resolve("exp");
        String[] args = experimentArgs(train, valid, out);
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.set(all.indexOf("2,4"), "2");
        all.addAll(List.of("--test", one.toString(), "--test", two.toString(), "--no-optimality"));
        assertEquals(ExitCodes.OK, TrainMain.run(all.toArray(new String[0])));
        List<String> scores = Files.readAllLines(out.resolve(ExperimentReport.SCORES));
        for (String op : List.of("dct", "full", "truncated")) {
            for (int s : new int[] {1, 2, 4}) {
                String key = "," + 2 + ",classical," + s + ",";
                List<String> whole = scores.stream().filter(r -> r.startsWith(op + key)).toList();
                List<String> first = scores.stream().filter(r -> r.startsWith(op + " on ") && r.contains("one")
                        && r.contains(key)).toList();
                List<String> second = scores.stream().filter(r -> r.startsWith(op + " on ") && r.contains("two")
                        && r.contains(key)).toList();
                assertEquals(1, whole.size(), op + " S=" + s + ":\n" + String.join("\n", scores));
                assertEquals(1, first.size(), op + " S=" + s + " on one:\n" + String.join("\n", scores));
                assertEquals(1, second.size(), op + " S=" + s + " on two:\n" + String.join("\n", scores));
                assertEquals("5", whole.get(0).split(",")[5]);
                assertEquals("2", first.get(0).split(",")[5]);
                assertEquals("3", second.get(0).split(",")[5]);
            }
        }
    }

    @Test
    void experimentUsageErrors() throws IOException {
        Path train = corpus("train", 2, 10);
        Path valid = corpus("valid", 1, 20);
        List<String> base = List.of("experiment", "--train", train.toString(), "--valid", valid.toString(), "--out",
                dir.resolve("x").toString(), "--frame-length", "32", "--backend", "java");
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of("--iterations-list", "5,2"));
        assertEquals(ExitCodes.USAGE, TrainMain.run(a.toArray(new String[0])), "decreasing list");
        a = new ArrayList<>(base);
        a.addAll(List.of("--modes", "partial"));
        assertEquals(ExitCodes.USAGE, TrainMain.run(a.toArray(new String[0])), "unknown mode");
        a = new ArrayList<>(base);
        a.addAll(List.of("--shifts", "3"));
        assertEquals(ExitCodes.USAGE, TrainMain.run(a.toArray(new String[0])), "3 does not divide 32");
        assertEquals(ExitCodes.USAGE, TrainMain.run(base.toArray(new String[0])), "one validation file, no --test");
        assertFalse(Files.exists(dir.resolve("x").resolve(ExperimentReport.SCORES)));
    }

    @Test
    void fullPresetSetsThePapersSettingsUnlessGivenExplicitly() {
        ExperimentCommand c = new ExperimentCommand();
        picocli.CommandLine cl = new picocli.CommandLine(c);
        cl.parseArgs("--train", "t", "--valid", "v", "--out", "o", "--full", "--epochs", "3");
        c.applyFullPreset();
        assertEquals(ExperimentCommand.FULL_LIST, joined(c.iterations));
        assertEquals(3, c.schedule.epochs, "given explicitly");
        assertEquals(0, c.schedule.stepsPerEpoch);
        assertEquals(1e-5, c.schedule.lrStart);
        assertEquals(1e-8, c.schedule.lrEnd);
        assertEquals(0, c.optimalityFiles);
        assertEquals(20000, c.optimality.maxIterations);

        ExperimentCommand d = new ExperimentCommand();
        new picocli.CommandLine(d).parseArgs("--train", "t", "--valid", "v", "--out", "o");
        d.applyFullPreset();
        assertEquals(ExperimentCommand.DEFAULT_LIST, joined(d.iterations));
        assertEquals(1, d.schedule.epochs);
        assertEquals(500, d.schedule.stepsPerEpoch);
        assertEquals(1e-4, d.schedule.lrStart);
        assertEquals(3000, d.optimality.maxIterations);
    }

    /** -L, --iterations and the old --iterations-list are one option, in experiment and in bench. */
    @Test
    void theIterationSpellingsAreOneOption() {
        for (String spelling : List.of("-L", "--iterations", "--iterations-list")) {
            ExperimentCommand e = new ExperimentCommand();
            new picocli.CommandLine(e).parseArgs("--train", "t", "--valid", "v", "--out", "o", spelling, "3,7");
            assertEquals(List.of(3, 7), e.iterations, spelling);
            BenchCommand b = new BenchCommand();
            new picocli.CommandLine(b).parseArgs(spelling, "3,7");
            assertEquals(List.of(3, 7), b.ls, spelling);
        }
    }

    /** --alpha takes a number or r (NaN, the exact Jacobian) in train, experiment and bench alike. */
    @Test
    void alphaIsANumberOrR() {
        BenchCommand b = new BenchCommand();
        new picocli.CommandLine(b).parseArgs("--alpha", "R");
        assertTrue(Float.isNaN(b.backprop.alpha));
        ExperimentCommand e = new ExperimentCommand();
        new picocli.CommandLine(e).parseArgs("--train", "t", "--valid", "v", "--out", "o", "--alpha", "0.5");
        assertEquals(0.5f, e.backprop.alpha);
        assertEquals(ExitCodes.USAGE, TrainMain.run("bench", "--alpha", "x"));
    }

    private static String joined(List<Integer> counts) {
        return String.join(",", counts.stream().map(String::valueOf).toList());
    }

    @Test
    void benchPrintsAndWritesOneRowPerConfiguration() throws IOException {
        Path out = dir.resolve("bench");
        assertEquals(ExitCodes.OK, TrainMain.run("bench", "--frame-length", "32", "--iterations-list", "3,6", "-b",
                "2", "--steps", "2", "--batch", "4", "--ceiling-ms", "5", "--threads", "2", "--backend", "java",
                "--out", out.toString()));
        List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
        assertEquals(1 + 4, csv.size(), String.join("\n", csv));
        List<String> expected = List.of("truncated,3,2,2,4", "full,3,,2,4", "truncated,6,2,2,4", "full,6,,2,4");
        long[] gemms = {2 * 3 + 2 * 2 + 1, 6 * 3 - 1, 2 * 6 + 2 * 2 + 1, 6 * 6 - 1};
        for (int i = 0; i < 4; i++) {
            String[] f = csv.get(i + 1).split(",", -1);
            assertEquals(expected.get(i), String.join(",", List.of(f).subList(0, 5)));
            assertEquals(gemms[i], Long.parseLong(f[7]), "gemms per step: " + csv.get(i + 1));
            assertTrue(Double.parseDouble(f[5]) > 0 && Double.parseDouble(f[11]) > 0, csv.get(i + 1));
        }
        assertTrue(Double.parseDouble(csv.get(4).split(",")[13]) > Double.parseDouble(csv.get(2).split(",")[13]),
                "full workspace grows with L");
        assertEquals(Double.parseDouble(csv.get(1).split(",")[13]), Double.parseDouble(csv.get(3).split(",")[13]),
                "truncated workspace does not");
        String md = Files.readString(out.resolve("bench.md"));
        assertTrue(md.contains("L = 6: truncated / full time per step"), md);
        assertTrue(md.contains("share of ceiling"), md);
        assertEquals(ExitCodes.USAGE, TrainMain.run("bench", "--modes", "partial"));
    }
}
