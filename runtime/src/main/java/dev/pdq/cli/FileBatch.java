package dev.pdq.cli;

import org.tinylog.Logger;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Many files in one process (--output-dir DIR FILE...), so offline work pays the JVM's start-up once. Each file is
 * converted into DIR under its own name with the output's extension, through a temporary file renamed into place
 * (a reader never sees half a file). A file that fails is reported with its name and reason and the others are still
 * done; what was decoded before its fault is still written out (the rename happens then too), and the exit code is
 * FAILURE if any file failed.
 */
final class FileBatch {
    /** Converts one stream: reads {@code in}, writes {@code out} (and, for a header to patch, the file behind it). */
    interface Conversion {
        void run(InputStream in, OutputStream out, Path outFile) throws IOException, PdqException;
    }

    private FileBatch() {
    }

    /**
     * @param command   "pdq dequantize", for messages
     * @param extension the output files' extension, with its dot
     * @return the exit code: OK, or FAILURE if any file failed
     * @throws PdqException a usage error (the folder cannot be made), before any file
     */
    static int run(String command, Path dir, List<Path> files, String extension, Conversion conversion)
            throws PdqException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw PdqException.failure("--output-dir " + dir + ": " + e.getMessage());
        }
        int failed = 0;
        for (Path f : files) {
            Path target = dir.resolve(outputName(f, extension));
            String problem = convert(f, target, conversion);
            if (problem != null) {
                failed++;
                System.err.println(command + ": " + f + ": " + problem);
            } else {
                Logger.info("{} -> {}", f, target);
            }
        }
        if (failed > 0) {
            System.err.println(command + ": " + failed + " of " + files.size() + " files failed");
        }
        return failed > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The input's name with its extension replaced. */
    static String outputName(Path input, String extension) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + extension;
    }

    /** Converts one file; returns null, or why it failed (its output then holds what came before the fault). */
    private static String convert(Path input, Path target, Conversion conversion) {
        if (!Files.isRegularFile(input)) {
            return Files.exists(input) ? "not a regular file" : "no such file";
        }
        Path tmp = null;
        try {
            tmp = Files.createFile(target.toAbsolutePath().getParent().resolve("." + target.getFileName() + "."
                    + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
            String problem = null;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input));
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                try {
                    conversion.run(in, out, tmp);
                } catch (PdqException e) {
                    problem = e.getMessage();
                }
            }
            moveIntoPlace(tmp, target);
            tmp = null;
            return problem;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error above is what matters
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
