package dev.pdq.train.spark;

import dev.pdq.train.corpus.CorpusException;
import dev.pdq.train.corpus.CorpusReader;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.Utterance;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The training frames, spread over the cluster: the files are cut into {@code partitions} contiguous runs (a file is
 * never split), each partition reads its files on its executor (from any Hadoop file system, or generates them) into
 * one {@link FrameBlock}, and the blocks stay cached there (memory, spilling to disk) for the whole run; nothing but
 * a small report per file comes back to the driver. A lost block is read again from its files (Spark's lineage).
 *
 * <p>The global numbering of frames and utterances is the single-process engine's (files in order, then channels,
 * then frames), so the same seed visits the same frames in the same steps.
 */
public final class DistributedFrames implements AutoCloseable {
    private final JavaRDD<FrameBlock> blocks;
    /** The Hadoop configuration the blocks' lineage reads with (a lost block is read again): kept until close. */
    private final Broadcast<SerializableWritable<Configuration>> conf;
    private final List<SourceReport> reports;
    private final int[] firstFrame;
    private final int[] firstUtterance;
    private final int frames;
    private final int utterances;
    private final Set<String> executorBlas;

    private DistributedFrames(JavaRDD<FrameBlock> blocks, Broadcast<SerializableWritable<Configuration>> conf,
                              List<SourceReport> reports, int[] firstFrame, int[] firstUtterance, int frames,
                              int utterances, Set<String> executorBlas) {
        this.blocks = blocks;
        this.conf = conf;
        this.reports = reports;
        this.firstFrame = firstFrame;
        this.firstUtterance = firstUtterance;
        this.frames = frames;
        this.utterances = utterances;
        this.executorBlas = executorBlas;
    }

    /**
     * Reads the sources into cached partitions and collects what they hold. Unusable files are skipped with a
     * warning naming them and the reason, as the single-process reader does.
     *
     * @param partitions how many partitions (at most one per source is useful)
     * @param n          frame length
     * @param sampleRate every file must have it
     * @param what       what the files are for, in messages ("training")
     * @throws CorpusException if no file is usable
     */
    public static DistributedFrames load(JavaSparkContext sc, List<UtteranceSource> sources, int partitions, int n,
                                         int sampleRate, ExecutorSpec spec, String what) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions = " + partitions + " must be at least 1");
        }
        Broadcast<SerializableWritable<Configuration>> conf = sc.broadcast(
                new SerializableWritable<>(new Configuration(sc.hadoopConfiguration())));
        JavaRDD<FrameBlock> blocks = sc.parallelize(new ArrayList<>(sources), partitions)
                .mapPartitionsWithIndex(new ReadPartition(conf, n, sampleRate, spec), true)
                .setName("pdq training frames")
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<FrameBlock> heads = blocks.map(b -> new FrameBlock(b.partition(), null, b.reports(), b.blas()))
                .collect();
        int p = heads.size();
        int[] firstFrame = new int[p];
        int[] firstUtterance = new int[p];
        long frameCount = 0;
        int utteranceCount = 0;
        List<SourceReport> reports = new ArrayList<>();
        Set<String> blas = new LinkedHashSet<>();
        int skipped = 0;
        for (int i = 0; i < p; i++) {
            FrameBlock h = heads.get(i);
            if (h.partition() != i) {
                throw new IllegalStateException("partition " + h.partition() + " came back at position " + i);
            }
            firstFrame[i] = (int) Math.min(frameCount, Integer.MAX_VALUE);
            firstUtterance[i] = utteranceCount;
            for (SourceReport r : h.reports()) {
                reports.add(r);
                if (r.problem() != null) {
                    Logger.warn("skipping {} file {}: {}", what, r.name(), r.problem());
                    skipped++;
                } else {
                    frameCount += r.frames();
                    utteranceCount += r.utterances();
                }
            }
            if (h.blas() != null) {
                blas.add(h.blas());
            }
        }
        if (utteranceCount == 0) {
            blocks.unpersist(false);
            conf.destroy();
            throw new CorpusException("no usable " + what + " audio: " + sources.size() + " file(s) given, "
                    + skipped + " skipped" + (skipped == 0 ? "" : " (see the warnings above)"));
        }
        if (frameCount > Integer.MAX_VALUE - 8) {
            blocks.unpersist(false);
            conf.destroy();
            throw new IOException(frameCount + " training frames are more than one epoch's order can index");
        }
        return new DistributedFrames(blocks, conf, List.copyOf(reports), firstFrame, firstUtterance, (int) frameCount,
                utteranceCount, blas);
    }

    /** Reads a partition's files into its block (on the executor). */
    private static final class ReadPartition
            implements Function2<Integer, Iterator<UtteranceSource>, Iterator<FrameBlock>> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableWritable<Configuration>> conf;
        private final int n;
        private final int sampleRate;
        private final ExecutorSpec spec;

        ReadPartition(Broadcast<SerializableWritable<Configuration>> conf, int n, int sampleRate, ExecutorSpec spec) {
            this.conf = conf;
            this.n = n;
            this.sampleRate = sampleRate;
            this.spec = spec;
        }

        @Override
        public Iterator<FrameBlock> call(Integer partition, Iterator<UtteranceSource> sources) throws IOException {
            Configuration c = conf.value().value();
            List<Utterance> utterances = new ArrayList<>();
            List<SourceReport> reports = new ArrayList<>();
            while (sources.hasNext()) {
                UtteranceSource s = sources.next();
                CorpusReader.Decoded d;
                try {
                    d = s.read(c, sampleRate);
                } catch (IOException e) {
                    d = new CorpusReader.Decoded(List.of(), e.getMessage());
                }
                int frames = 0;
                for (CorpusReader.Channel ch : d.channels()) {
                    String file = s.name().substring(s.name().lastIndexOf('/') + 1);
                    utterances.add(new Utterance(Path.of(file), ch.index(), ch.count(), sampleRate, ch.samples()));
                    frames += ch.samples().length / n;
                }
                reports.add(new SourceReport(s.name(), d.channels().size(), frames, d.problem()));
            }
            String blas = spec.blas().description();
            return List.of(new FrameBlock(partition, FrameSet.of(utterances, n), List.copyOf(reports), blas))
                    .iterator();
        }
    }

    /** The cached blocks, one per partition. */
    JavaRDD<FrameBlock> blocks() {
        return blocks;
    }

    /** One report per source, in order. */
    public List<SourceReport> reports() {
        return reports;
    }

    public int partitions() {
        return firstFrame.length;
    }

    /** Training frames over all partitions. */
    public int frames() {
        return frames;
    }

    /** Usable utterances (file channels) over all partitions. */
    public int utterances() {
        return utterances;
    }

    /** The BLAS backends the executors reported when they read their partitions. */
    public Set<String> executorBlas() {
        return executorBlas;
    }

    /** The plan of an epoch with this layout. */
    EpochPlan plan(int epoch, int[] order, float[] gains, int[] shifts) {
        return new EpochPlan(epoch, order, gains, shifts, firstFrame.clone(), firstUtterance.clone());
    }

    /** Drops the cached blocks. */
    @Override
    public void close() {
        blocks.unpersist(false);
        conf.destroy();
    }
}
