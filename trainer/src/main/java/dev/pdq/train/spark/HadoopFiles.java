package dev.pdq.train.spark;

import dev.pdq.train.corpus.CorpusException;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.Utterance;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.tinylog.Logger;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Corpus folders on a Hadoop file system, with the rules of {@link CorpusReader}. */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /**
     * The files of these folders (and files given directly), as qualified URIs, in order: each folder's regular
     * files whose names do not start with a dot, sorted by name; folders are not descended into.
     *
     * @throws CorpusException if a path does not exist or cannot be listed
     */
    public static List<String> list(List<String> paths, Configuration conf) throws CorpusException {
        List<String> out = new ArrayList<>();
        for (String s : paths) {
            try {
                Path p = new Path(s);
                FileSystem fs = p.getFileSystem(conf);
                FileStatus st = fs.getFileStatus(p);
                if (st.isFile()) {
                    out.add(fs.makeQualified(p).toString());
                } else if (st.isDirectory()) {
                    FileStatus[] all = fs.listStatus(p);
                    Arrays.sort(all, Comparator.comparing(f -> f.getPath().getName()));
                    for (FileStatus f : all) {
                        if (f.isFile() && !f.getPath().getName().startsWith(".")) {
                            out.add(fs.makeQualified(f.getPath()).toString());
                        }
                    }
                } else {
                    throw new CorpusException("not a file or folder: " + s);
                }
            } catch (FileNotFoundException e) {
                throw new CorpusException("no such file or folder: " + s);
            } catch (CorpusException e) {
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                throw new CorpusException("cannot list " + s + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Files read on the driver (validation): the usable ones, their utterances, the skipped ones. */
    public record Read(List<String> files, List<Utterance> utterances, int skipped) {
    }

    /**
     * Reads the files here, skipping (with a warning) those that are not usable.
     *
     * @throws CorpusException if no file is usable
     */
    public static Read read(List<String> files, Configuration conf, int sampleRate, String what)
            throws CorpusException {
        List<String> used = new ArrayList<>();
        List<Utterance> utterances = new ArrayList<>();
        int skipped = 0;
        for (String f : files) {
            CorpusReader.Decoded d;
            try {
                d = new UtteranceSource.HadoopWav(f).read(conf, sampleRate);
            } catch (IOException e) {
                d = new CorpusReader.Decoded(List.of(), e.getMessage());
            }
            if (d.problem() != null) {
                Logger.warn("skipping {} file {}: {}", what, f, d.problem());
                skipped++;
                continue;
            }
            used.add(f);
            java.nio.file.Path name = java.nio.file.Path.of(new Path(f).getName());
            for (CorpusReader.Channel c : d.channels()) {
                utterances.add(new Utterance(name, c.index(), c.count(), sampleRate, c.samples()));
            }
        }
        if (utterances.isEmpty()) {
            throw new CorpusException("no usable " + what + " audio: " + files.size() + " file(s) given, " + skipped
                    + " skipped" + (skipped == 0 ? "" : " (see the warnings above)"));
        }
        return new Read(used, utterances, skipped);
    }
}
