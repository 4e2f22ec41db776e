package dev.pdq.cli;

import dev.pdq.blas.BlasUnavailableException;
import dev.pdq.engine.EngineException;
import org.tinylog.provider.ProviderRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * The picocli set-up that {@code pdq} and {@code pdq-train} share. Help and version text go to stderr (stdout
 * carries audio only), every subcommand prints the program's version, a bad command line gives one line and where
 * to look (not the whole usage text, which would bury it), and every failure becomes its {@link ExitCodes exit
 * code} with a one-line message: {@link PdqException} as it says; I/O errors, an engine that cannot be set up
 * ({@link EngineException}) and an unloadable BLAS as failures; anything else as an internal error with its stack
 * trace.
 */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * A program that runs on this set-up.
     *
     * @param name        its name in messages ("pdq")
     * @param versionOf   a class of its jar, whose manifest carries the version
     * @param ownFailures the program's own exceptions as the failures they stand for, or null for any other
     */
    public record Program(String name, Class<?> versionOf, Function<Exception, PdqException> ownFailures) {
        /** A program with no exceptions of its own. */
        public Program(String name, Class<?> versionOf) {
            this(name, versionOf, e -> null);
        }

        /** "pdq 0.1.0", or "pdq (development build)" where the classes do not come from a jar. */
        public String version() {
            String v = versionOf.getPackage().getImplementationVersion();
            return name + " " + (v == null ? "(development build)" : v);
        }
    }

    /**
     * A command line for {@code command} (the program's top command, or one subcommand object on its own, as
     * tests build them with their own streams), configured as the program runs.
     */
    public static CommandLine create(Program program, Object command) {
        return create(program, command, java.util.List.of());
    }

    /**
     * As {@link #create(Program, Object)}, with {@code subcommands} added to the top command first (a program that
     * registers only the subcommand it will run, to save picocli's reflection over the others).
     */
    public static CommandLine create(Program program, Object command, Iterable<?> subcommands) {
        CommandLine cl = new CommandLine(command);
        for (Object sub : subcommands) {
            cl.addSubcommand(sub);
        }
        cl.setOut(new PrintWriter(System.err, true)); // --help and --version are for people: stderr
        cl.setErr(new PrintWriter(System.err, true));
        cl.setExecutionExceptionHandler((e, failed, parsed) -> handle(program, e, failed));
        cl.setParameterExceptionHandler((e, args) -> handleUsage(program, e));
        // every subcommand takes --version (mixinStandardHelpOptions) and must print what the program's prints,
        // not an empty line (found by CommandLineFuzzTest)
        setVersion(cl, program);
        return cl;
    }

    /** Runs a command line and returns its exit code (no System.exit: for tests and embedding). */
    public static int run(Program program, Object command, String... args) {
        return create(program, command).execute(args);
    }

    /** Flushes the log lines still queued, then exits the JVM with {@code code}. */
    public static void exit(int code) {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(code);
    }

    /** The top command run without a subcommand: say which there are. */
    public static int subcommandRequired(CommandSpec spec) {
        System.err.println(spec.name() + ": a subcommand is required");
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    private static void setVersion(CommandLine cl, Program program) {
        cl.getCommandSpec().versionProvider(() -> new String[] {program.version()});
        for (CommandLine sub : cl.getSubcommands().values()) {
            setVersion(sub, program);
        }
    }

    private static int handle(Program program, Exception e, CommandLine cl) {
        if (e instanceof StdStreams.OutputClosedException) {
            return ExitCodes.OUTPUT_CLOSED; // the reader went away: nothing to say
        }
        String name = name(program, cl);
        PdqException failure = asFailure(program, e);
        if (failure == null) {
            System.err.println(name + ": internal error: " + e);
            e.printStackTrace(System.err);
            return ExitCodes.FAILURE;
        }
        System.err.println(name + ": " + failure.getMessage());
        if (failure.exitCode() == ExitCodes.USAGE) {
            System.err.println("Try '" + name + " --help'.");
        }
        return failure.exitCode();
    }

    /** The failure an exception stands for, or null for an internal error. */
    private static PdqException asFailure(Program program, Exception e) {
        if (e instanceof PdqException p) {
            return p;
        }
        PdqException own = program.ownFailures().apply(e);
        if (own != null) {
            return own;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof EngineException
                || e instanceof BlasUnavailableException) {
            return new PdqException(ExitCodes.FAILURE, e.getMessage(), e);
        }
        return null;
    }

    /** A bad command line: the problem (and picocli's suggestion for a misspelt option), then where to look. */
    private static int handleUsage(Program program, CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String name = name(program, cl);
        System.err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cl.getErr());
        System.err.println("Try '" + name + " --help'.");
        return ExitCodes.USAGE;
    }

    /** "pdq dequantize", also for a subcommand object run on its own (as tests do). */
    private static String name(Program program, CommandLine cl) {
        String qualified = cl.getCommandSpec().qualifiedName();
        return qualified.equals(program.name()) || qualified.startsWith(program.name() + " ") ? qualified
                : program.name() + " " + qualified;
    }
}
