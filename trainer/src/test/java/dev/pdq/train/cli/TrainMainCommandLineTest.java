package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.testing.StdoutStaysEmpty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pdq-train on pdq's command-line set-up: every subcommand prints the version, a bad command line gives one line
 * and where to look, as {@code pdq} does (runtime CliFaultTest). Not for parallel tests: System.err is global.
 */
@ExtendWith(StdoutStaysEmpty.class)
class TrainMainCommandLineTest {
    /** What a run left on stderr, and its exit code. */
    private record Run(int exitCode, String stderr) {
        List<String> lines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            code = TrainMain.run(args);
        } finally {
            System.setErr(saved);
        }
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train", "eval", "experiment", "bench", "package", "grow"})
    void everySubcommandPrintsTheVersion(String subcommand) {
        Run top = run("--version");
        assertEquals(ExitCodes.OK, top.exitCode());
        assertTrue(top.stderr().startsWith("pdq-train "), top.stderr());
        Run sub = run(subcommand, "--version");
        assertEquals(ExitCodes.OK, sub.exitCode());
        assertEquals(top.stderr(), sub.stderr(), "pdq-train " + subcommand + " --version");
    }

    @Test
    void anUnknownOptionGivesOneLineAndWhereToLook() {
        Run r = run("eval", "--bogus", "corpus");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        List<String> lines = r.lines();
        assertEquals(2, lines.size(), r.stderr());
        assertTrue(lines.get(0).startsWith("pdq-train eval: ") && lines.get(0).contains("--bogus"), lines.get(0));
        assertEquals("Try 'pdq-train eval --help'.", lines.get(1));
        assertFalse(r.stderr().contains("Usage:"), "the whole usage text buries the error:\n" + r.stderr());
    }

    @Test
    void aMisspeltOptionGetsASuggestion() {
        Run r = run("train", "--out", "run", "--epoch", "3");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.stderr().contains("--epochs"), r.stderr());
        assertEquals("Try 'pdq-train train --help'.", r.lines().get(r.lines().size() - 1));
    }

    /** grow stacks 0.5 x an orthonormal DST under the orthonormal DCT: K^T K = 1.25 I, so ||K|| = sqrt(1.25). */
    @Test
    void growPrintsTheExactNormAndTheStepCondition(@TempDir Path dir) throws IOException {
        Path dct = dir.resolve("dct.pdqk");
        ModelFile.write(Operator.dct(32, 4, 16000, 5), dct);
        Run r = run("grow", "--model", dct.toString(), "--dst-scale", "0.5", "--out", dir.resolve("g.pdqk").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        Matcher m = Pattern.compile("\\|\\|K\\|\\|_2 = ([0-9.]+) by SVD.*sigma\\*tau\\*\\|\\|K\\|\\|\\^2 = ([0-9.]+) < 1")
                .matcher(r.stderr());
        assertTrue(m.find(), r.stderr());
        assertEquals(Math.sqrt(1.25), Double.parseDouble(m.group(1)), 1e-6);
        assertEquals(0.99 * 0.99, Double.parseDouble(m.group(2)), 1e-4);
    }

    @Test
    void aFailureIsOneLineNamingTheCommand() {
        Run r = run("package", "--model", "/nonexistent/m.pdqk", "-L", "2", "--out", "/nonexistent/o.pdqk");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        List<String> lines = r.lines();
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).startsWith("pdq-train package: ") && lines.get(0).contains("/nonexistent/m.pdqk"),
                lines.get(0));
    }
}
