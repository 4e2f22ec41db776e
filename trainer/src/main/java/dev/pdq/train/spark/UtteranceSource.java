package dev.pdq.train.spark;

import dev.pdq.demo.SpeechSynth;
import dev.pdq.train.corpus.CorpusReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/** Where a partition gets a file's audio from: a WAV file on a Hadoop file system, or generated on the spot. */
public interface UtteranceSource extends Serializable {

    /** The file, for messages and lists. */
    String name();

    /** Reads the file's usable channels (or why it has none) with the rules of {@link CorpusReader}. */
    CorpusReader.Decoded read(Configuration conf, int sampleRate) throws IOException;

    /** A WAV file on any Hadoop file system (file:, hdfs:, s3a:, ...), named by its qualified URI. */
    record HadoopWav(String uri) implements UtteranceSource {
        @Override
        public String name() {
            return uri;
        }

        @Override
        public CorpusReader.Decoded read(Configuration conf, int sampleRate) throws IOException {
            Path p = new Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            long size = fs.getFileStatus(p).getLen();
            return CorpusReader.decode(uri, size, () -> fs.open(p), sampleRate);
        }
    }

    /** Speech-like signal of {@link SpeechSynth}, generated where it is used (benchmarks): nothing to read. */
    record Synthetic(double seconds, int rate, long seed) implements UtteranceSource {
        @Override
        public String name() {
            return "synthetic-" + seed;
        }

        @Override
        public CorpusReader.Decoded read(Configuration conf, int sampleRate) {
            if (sampleRate != rate) {
                return new CorpusReader.Decoded(List.of(), "sample rate " + rate + " Hz, the model's is " + sampleRate
                        + " Hz");
            }
            return new CorpusReader.Decoded(List.of(new CorpusReader.Channel(0, 1,
                    SpeechSynth.generate(seconds, rate, seed))), null);
        }
    }
}
