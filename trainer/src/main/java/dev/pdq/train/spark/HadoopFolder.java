package dev.pdq.train.spark;

import dev.pdq.train.files.AtomicFiles;
import dev.pdq.train.files.RunFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run folder on any Hadoop file system (the driver's model, log, plots and checkpoint, beside the corpus). A file
 * is written to a temporary name in the folder, synced (hsync), closed, then renamed over the old one:
 *
 * <ul>
 *   <li>the local file system is used raw (no .crc side files), and its rename replaces the target atomically
 *       (POSIX rename);</li>
 *   <li>any other file system is renamed through {@link FileContext} with OVERWRITE: atomic on HDFS; object stores
 *       (s3a, gs) have no atomic rename, but the temporary file is complete before it is renamed, so a reader sees the
 *       old or the whole new file there too.</li>
 * </ul>
 *
 * On failure the temporary file is deleted and the target left as it was.
 */
public final class HadoopFolder implements RunFolder {
    private final Configuration conf;
    private final FileSystem fs;
    private final Path dir;
    private final boolean local;

    /** The folder at {@code uri} (a path without scheme is on the configuration's default file system). */
    public HadoopFolder(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem any = p.getFileSystem(conf);
        this.local = any instanceof LocalFileSystem;
        this.fs = any instanceof LocalFileSystem lfs ? lfs.getRaw() : any;
        this.dir = fs.makeQualified(p);
        this.conf = conf;
    }

    /** The folder's qualified URI. */
    public String uri() {
        return dir.toString();
    }

    @Override
    public void write(String name, AtomicFiles.Content content) throws IOException {
        Path target = new Path(dir, name);
        Path tmp = new Path(dir, "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        boolean done = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                content.writeTo(out);
                out.hsync();
            }
            if (local) {
                if (!fs.rename(tmp, target)) {
                    throw new IOException("could not rename " + tmp + " to " + target);
                }
            } else {
                FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
            }
            done = true;
        } finally {
            if (!done) {
                fs.delete(tmp, false);
            }
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.exists(new Path(dir, name));
    }

    @Override
    public byte[] read(String name) throws IOException {
        Path p = new Path(dir, name);
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(p + " does not exist");
        }
    }

    @Override
    public String where(String name) {
        return name.isEmpty() ? dir.toString() : new Path(dir, name).toString();
    }
}
