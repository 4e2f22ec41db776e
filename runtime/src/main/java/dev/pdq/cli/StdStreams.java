package dev.pdq.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * stdin and stdout as raw byte streams. System.out is a PrintStream, which swallows write errors: a reader that
 * went away would go unnoticed. Here every write error of stdout becomes an {@link OutputClosedException}, so the
 * command can tell it from a fault of its input.
 */
public final class StdStreams {
    private StdStreams() {
    }

    public static InputStream stdin() {
        return new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
    }

    public static OutputStream stdout() {
        return new BufferedOutputStream(new Guarded(new FileOutputStream(FileDescriptor.out)), 1 << 16);
    }

    /**
     * The regular file stdout is redirected to (`> file`), where a writer may go back and patch its header; empty
     * for a pipe, a terminal, or where /proc cannot tell.
     */
    public static java.util.Optional<java.nio.file.Path> stdoutFile() {
        try {
            java.nio.file.Path p = java.nio.file.Path.of("/proc/self/fd/1").toRealPath();
            return java.nio.file.Files.isRegularFile(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** stdout could not be written: its reader went away. */
    public static final class OutputClosedException extends IOException {
        OutputClosedException(IOException cause) {
            super("stdout closed: " + cause.getMessage(), cause);
        }
    }

    private static final class Guarded extends FilterOutputStream {
        Guarded(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new OutputClosedException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new OutputClosedException(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new OutputClosedException(e);
            }
        }
    }
}
