package dev.pdq.train.spark;

import java.io.Serializable;

/**
 * What a partition found in one file: its utterances and whole frames, or why it was skipped.
 *
 * @param problem null when the file was used, else why it was skipped
 */
public record SourceReport(String name, int utterances, int frames, String problem) implements Serializable {
}
