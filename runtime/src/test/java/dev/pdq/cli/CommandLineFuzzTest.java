package dev.pdq.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pdq.testing.Fuzzing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the {@code pdq} command-line parser (Jazzer, docs/HARDENING.md; seeds and past findings in
 * src/test/resources/dev/pdq/cli/CommandLineFuzzTestInputs/parse/). The input is decoded by Jazzer's
 * FuzzedDataProvider into up to 12 arguments, each either a word pdq knows (subcommands, options, option=value
 * forms, values) or an arbitrary string, and parsed by the command line exactly as {@code pdq} configures it.
 * Nothing is executed: every subcommand reads stdin or starts solvers.
 *
 * <p>Failure: anything but picocli's usage errors ({@link CommandLine.ParameterException} and its subclasses),
 * a hang, or help text that cannot be rendered.
 */
@Tag("fuzz") // run in their own JVM (pom.xml: surefire execution fuzz-regression)
class CommandLineFuzzTest {

    static final Set<String> SUBCOMMANDS = Set.of("dequantize", "quantize", "info", "bench", "synth", "compare");

    /** Words of pdq's command line, so that the fuzzer starts from the grammar instead of guessing it. */
    static final String[] WORDS = {"dequantize", "quantize", "info", "bench", "synth", "compare", "--help", "-h",
            "--version", "-V", "--bits", "--rate", "--channels", "--iterations", "-L", "--batch", "--shifts",
            "--input-format", "--output-format", "--stats", "--model", "--device", "--backend", "--blas-library",
            "--output", "--block", "--backends", "--seconds", "--quick", "--seed", "--segment", "--bits=4",
            "--shifts=4", "--batch=0", "--iterations=-1", "--rate=16000", "--channels=65", "--backends=native,java",
            "4", "0", "-1", "2147483648", "1e3", "NaN", "auto", "s16le", "f32le", "wav", "wav-f32", "codes", "dct",
            "java", "native", "x86_64", "rpi4", "", "-", "--", "@", "@/nonexistent", "--=", "-x"};

    @FuzzTest(maxDuration = "30s")
    @Timeout(Fuzzing.TIMEOUT_SECONDS)
    void parse(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 12);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            args.add(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(24));
        }
        CommandLine cl = Main.commandLine(new Main());
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException usageError) {
            assertFalse(usageError.getMessage() == null || usageError.getMessage().isBlank(),
                    "a usage error without a message");
            return;
        }
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
            assertTrue(SUBCOMMANDS.contains(last.commandSpec().name()), last.commandSpec()::name);
        }
        if (last.isUsageHelpRequested()) {
            StringWriter usage = new StringWriter();
            last.commandSpec().commandLine().usage(new PrintWriter(usage));
            assertTrue(usage.toString().contains("Usage:"), usage::toString);
        }
        if (last.isVersionHelpRequested()) {
            StringWriter text = new StringWriter();
            last.commandSpec().commandLine().printVersionHelp(new PrintWriter(text));
            String name = last.commandSpec().name();
            assertTrue(text.toString().startsWith("pdq "), () -> "--version of '" + name + "' printed '" + text + "'");
        }
    }
}
