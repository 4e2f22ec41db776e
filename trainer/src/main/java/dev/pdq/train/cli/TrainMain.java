package dev.pdq.train.cli;

import org.tinylog.Logger;
import org.tinylog.provider.ProviderRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The pdq-train command: subcommands train, eval, experiment, bench and package. A new subcommand is a picocli {@code Callable<Integer>} class
 * added to {@code subcommands} below; it can share {@link EngineOptions} and {@link LevelOptions} as mixins, throw
 * {@link UsageException} for a command line that makes no sense (exit 2) and let other exceptions through (their
 * message is printed, exit 1). Nothing is written to stdout: help, version, logs and progress go to stderr.
 */
@Command(name = "pdq-train", mixinStandardHelpOptions = true, versionProvider = TrainMain.Version.class,
        description = "Learns the analysis operator K of the pdq dequantizer and evaluates operators.",
        subcommands = {TrainCommand.class, EvalCommand.class, ExperimentCommand.class,
                BenchCommand.class, PackageCommand.class, GrowCommand.class})
public final class TrainMain implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = run(args);
        try {
            ProviderRegistry.getLoggingProvider().shutdown(); // flush log lines before exiting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (no System.exit: for tests and embedding). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: output and errors on stderr, exceptions mapped to exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainMain());
        cl.setOut(new PrintWriter(System.err, true));
        cl.setErr(new PrintWriter(System.err, true));
        cl.setExecutionExceptionHandler(TrainMain::handle);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String me = "pdq-train " + cl.getCommandName();
        if (e instanceof UsageException) {
            System.err.println(me + ": " + e.getMessage());
            System.err.println("Try 'pdq-train " + cl.getCommandName() + " --help'.");
            return ExitCodes.USAGE;
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException
                || e instanceof java.io.UncheckedIOException) {
            Logger.error("{}: {}", me, e.getMessage());
            return ExitCodes.FAILURE;
        }
        Logger.error(e, "{}: internal error", me);
        return ExitCodes.FAILURE;
    }

    @Override
    public Integer call() {
        System.err.println("pdq-train: a subcommand is required");
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pdq-train " + version()};
        }
    }

    static String version() {
        String v = TrainMain.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
