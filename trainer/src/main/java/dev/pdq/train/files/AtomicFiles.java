package dev.pdq.train.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that it is never seen half written: into ".NAME.RANDOM.tmp" in the target's folder, forced to
 * disk, then renamed over the target (an atomic move where the file system offers one). On any failure the
 * temporary file is removed and the target left as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces a file's content on a stream. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * @throws IOException naming {@code target} (a full disk or a read-only folder otherwise reports only "No space
     *                     left on device" or the temporary file's name); the target is left as it was
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        boolean done = false;
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            IOException named = new IOException("cannot write " + abs + " (left as it was): " + e.getMessage(), e);
            removeQuietly(tmp, named);
            throw named;
        } finally {
            if (!done) {
                removeQuietly(tmp, null);
            }
        }
    }

    /**
     * Removes a temporary file if it is there. On a read-only file system even that fails (EROFS comes before
     * ENOENT): such a failure must not hide the error that matters, so it is attached to {@code error}.
     */
    private static void removeQuietly(Path tmp, IOException error) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            if (error != null) {
                error.addSuppressed(e);
            }
        }
    }
}
