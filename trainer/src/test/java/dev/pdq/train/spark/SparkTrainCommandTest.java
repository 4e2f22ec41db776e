package dev.pdq.train.spark;

import dev.pdq.cli.ExitCodes;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.cli.TrainMain;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pdq-train train --engine spark} end to end: its own local[2] context, file: URIs, nothing on stdout. */
@ExtendWith(StdoutStaysEmpty.class)
class SparkTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainOnSparkFromTheCommandLine() throws IOException {
        Path data = Wavs.speechCorpus(dir, "data", 6, 16000, 70);
        Path out = dir.resolve("run");
        int code = TrainMain.run("train", "--engine", "spark", "--master", "local[2]", "--partitions", "3",
                "--data", data.toUri().toString(), "--valid-fraction", "0.2", "--test-fraction", "0.2",
                "--out", out.toUri().toString(), "--frame-length", "32", "-L", "3", "-b", "2", "--epochs", "2",
                "--batch", "8", "--lr-start", "1e-3", "--lr-end", "1e-4", "--level", "fixed", "--threads", "1",
                "--backend", "java", "--progress", "none");
        assertEquals(ExitCodes.OK, code);
        Operator op = ModelFile.read(out.resolve(RunDirectory.MODEL));
        assertEquals(32, op.n());
        for (String s : List.of("engine: Spark 4.0", "master local[2], 3 partitions", "level: fixed",
                "training 4 files (0 skipped)", "split of [" + data.toUri() + "] by file")) {
            assertTrue(op.provenance().contains(s), "provenance lacks '" + s + "':\n" + op.provenance());
        }
        List<String> csv = Files.readAllLines(out.resolve(RunDirectory.LOG));
        assertEquals(EpochRecord.CSV_HEADER, csv.get(0));
        assertEquals(4, csv.size(), "header, epoch 0, 1, 2");
        assertEquals(1, Files.readAllLines(out.resolve("split-test.txt")).size());
        assertTrue(Files.readAllLines(out.resolve("split-train.txt")).get(0).startsWith("file:"));
    }

    @Test
    void sparkOptionsNeedTheSparkEngine() {
        Path d = dir.resolve("x");
        assertEquals(ExitCodes.USAGE, TrainMain.run("train", "--data", d.toString(), "--out", d.toString(),
                "--master", "local[2]"));
        assertEquals(ExitCodes.USAGE, TrainMain.run("train", "--data", d.toString(), "--out", d.toString(),
                "--engine", "hadoop"));
        assertEquals(ExitCodes.USAGE, TrainMain.run("train", "--data", d.toString(), "--out", d.toString(),
                "--engine", "spark", "--train-grids", "2"), "the averaged-grid loss stays with the single process");
    }
}
