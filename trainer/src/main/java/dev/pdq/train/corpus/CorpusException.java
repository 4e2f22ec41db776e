package dev.pdq.train.corpus;

import java.io.IOException;

/** A corpus that cannot be used: a folder that does not exist, or no usable file at all. */
public final class CorpusException extends IOException {
    public CorpusException(String message) {
        super(message);
    }
}
