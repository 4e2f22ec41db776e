package dev.pdq.testing;

import dev.pdq.blas.TestJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the pdq command (dev.pdq.cli.Main, from this JVM's class path) in child JVMs, alone or as a real OS pipe
 * of several commands, with files for stdin and stdout. Which java runs them is {@link TestJvm}'s choice.
 */
public final class ChildJvm {

    /** A hang guard only: a JVM under qemu starts in a few seconds and the commands here take a few more. */
    private static final long TIMEOUT_SECONDS = 300;

    /** The stderr of each command of a pipeline, in order. */
    public record Run(List<String> stderr) {
    }

    private ChildJvm() {
    }

    /** The command line that runs {@code pdq args...} with the given java executable. */
    public static List<String> pdq(String java, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", TestJvm.classPath(), "dev.pdq.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs the commands as a pipeline (the first reads {@code in}, each writes into the next, the last writes
     * {@code out}), with {@code env} added to each one's environment, and asserts every one exited with 0.
     */
    public static Run pipeline(List<List<String>> commands, Map<String, String> env, Path in, Path out,
                               Path workDir) throws IOException, InterruptedException {
        List<ProcessBuilder> builders = new ArrayList<>();
        List<Path> errs = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            ProcessBuilder b = new ProcessBuilder(commands.get(i));
            b.environment().putAll(env);
            Path err = workDir.resolve("stderr-" + System.nanoTime() + "-" + i + ".txt");
            errs.add(err);
            b.redirectError(err.toFile());
            builders.add(b);
        }
        builders.get(0).redirectInput(in.toFile());
        builders.get(builders.size() - 1).redirectOutput(out.toFile());
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        List<String> stderr = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                processes.forEach(Process::destroyForcibly);
            }
            String text = Files.readString(errs.get(i), StandardCharsets.UTF_8);
            stderr.add(text);
            assertTrue(done, "command " + commands.get(i) + " did not finish in " + TIMEOUT_SECONDS + " s");
            assertEquals(0, p.exitValue(), "exit code of " + commands.get(i) + "; its stderr:\n" + text);
        }
        return new Run(stderr);
    }

    /** Runs one pdq command with empty stdin and returns its stderr; asserts exit code 0. */
    public static String run(List<String> command, Map<String, String> env, Path workDir)
            throws IOException, InterruptedException {
        Path empty = Files.write(workDir.resolve("empty-" + System.nanoTime()), new byte[0]);
        Path out = workDir.resolve("stdout-" + System.nanoTime());
        String err = pipeline(List.of(command), env, empty, out, workDir).stderr().get(0);
        assertEquals(0, Files.size(out), "nothing but audio on stdout, and this command writes none");
        return err;
    }
}
