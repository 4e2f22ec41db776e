package dev.pdq.train.corpus;

import java.nio.file.Path;
import java.util.List;

/**
 * Utterances read from a set of files, with the files that were skipped and why.
 *
 * @param files   the files that gave utterances, in reading order
 * @param skipped files that did not, each with the reason
 */
public record Corpus(List<Path> files, List<Utterance> utterances, List<Skipped> skipped) {

    public record Skipped(Path file, String reason) {
    }

    public Corpus {
        files = List.copyOf(files);
        utterances = List.copyOf(utterances);
        skipped = List.copyOf(skipped);
    }

    /** Samples over all utterances. */
    public long samples() {
        long s = 0;
        for (Utterance u : utterances) {
            s += u.samples().length;
        }
        return s;
    }

    /** Whole frames of n samples over all utterances (each utterance's tail shorter than n dropped). */
    public long frames(int n) {
        long f = 0;
        for (Utterance u : utterances) {
            f += u.samples().length / n;
        }
        return f;
    }
}
