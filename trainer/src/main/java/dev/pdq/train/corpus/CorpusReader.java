package dev.pdq.train.corpus;

import dev.pdq.audio.PcmReader;
import dev.pdq.audio.WavHeader;
import org.tinylog.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads WAV files (16-bit PCM or 32-bit float, any channel count) into {@link Utterance}s, one per channel.
 *
 * <p>Every regular, non-hidden file of a folder is tried (not only names ending in .wav: the header decides), in
 * name order; folders are not descended into. A file is skipped, with a warning naming it and the reason, when it
 * is not a WAV file, its header is malformed or unsupported, it is truncated (the data chunk declares more bytes
 * than the file holds), its sample data is corrupt (a partial sample frame, a NaN or infinite float sample), its
 * sample rate differs from the one asked for, it holds no samples, or it is all zeros (silent: there is nothing to
 * learn from it and it has no peak to normalize; a silent channel of a multi-channel file is dropped alone). A
 * corpus with no usable file is an error.
 */
public final class CorpusReader {
    private static final int CHUNK = 1 << 16;

    private CorpusReader() {
    }

    /**
     * The files of these folders (and files given directly), in order: each folder's regular non-hidden files
     * sorted by name.
     *
     * @throws CorpusException if a path does not exist or a folder cannot be listed
     */
    public static List<Path> listFiles(List<Path> paths) throws CorpusException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new CorpusException("cannot list folder " + p + ": " + e.getMessage());
                }
            } else {
                throw new CorpusException("no such file or folder: " + p);
            }
        }
        return out;
    }

    /**
     * Reads the files, skipping (with a warning) those that are not usable.
     *
     * @param sampleRate the sample rate every file must have (the model's)
     * @param what       what the files are for, in messages ("training", "validation", ...)
     * @throws CorpusException if no file is usable
     */
    public static Corpus read(List<Path> files, int sampleRate, String what) throws CorpusException {
        List<Path> used = new ArrayList<>();
        List<Utterance> utterances = new ArrayList<>();
        List<Corpus.Skipped> skipped = new ArrayList<>();
        for (Path f : files) {
            String problem;
            List<Utterance> got = new ArrayList<>();
            try {
                problem = readFile(f, sampleRate, got);
            } catch (IOException e) {
                problem = e.getMessage();
            }
            if (problem != null) {
                Logger.warn("skipping {} file {}: {}", what, f, problem);
                skipped.add(new Corpus.Skipped(f, problem));
            } else {
                used.add(f);
                utterances.addAll(got);
            }
        }
        if (utterances.isEmpty()) {
            throw new CorpusException("no usable " + what + " audio: " + files.size() + " file(s) given, "
                    + skipped.size() + " skipped" + (skipped.isEmpty() ? "" : " (see the warnings above)"));
        }
        return new Corpus(used, utterances, skipped);
    }

    /** Reads the folders' files: {@link #listFiles} then {@link #read}. */
    public static Corpus readFolders(List<Path> folders, int sampleRate, String what) throws CorpusException {
        return read(listFiles(folders), sampleRate, what);
    }

    /** Opens a file's bytes from the start (called once for the header, once for the samples). */
    public interface Source {
        InputStream open() throws IOException;
    }

    /** One usable channel of a file: channel {@code index} of {@code count}, at the file's recorded level. */
    public record Channel(int index, int count, float[] samples) {
    }

    /**
     * The usable channels of one WAV file, or why it is not usable.
     *
     * @param problem null when the file is usable (channels then holds at least one), else the reason
     */
    public record Decoded(List<Channel> channels, String problem) {
        static Decoded unusable(String why) {
            return new Decoded(List.of(), why);
        }
    }

    /** Reads one file into {@code out}; returns null when it is usable, else why not. */
    private static String readFile(Path file, int sampleRate, List<Utterance> out) throws IOException {
        Decoded d = decode(file.toString(), Files.size(file), () -> Files.newInputStream(file), sampleRate);
        for (Channel c : d.channels()) {
            out.add(new Utterance(file, c.index(), c.count(), sampleRate, c.samples()));
        }
        return d.problem();
    }

    /**
     * Decodes one WAV file from wherever its bytes are (a local file, a Hadoop file system), with the rules of this
     * class: a file that is not usable gives the reason, a silent channel of a multi-channel file is dropped with a
     * warning naming it.
     *
     * @param name the file, for messages
     * @param size the file's size in bytes
     * @throws IOException if reading fails
     */
    public static Decoded decode(String name, long size, Source source, int sampleRate) throws IOException {
        if (size == 0) {
            return Decoded.unusable("empty file");
        }
        WavHeader header;
        try (InputStream in = new BufferedInputStream(source.open())) {
            header = WavHeader.read(in);
        }
        if (header.dataBytes() >= 0 && header.dataOffset() + header.dataBytes() > size) {
            return Decoded.unusable("truncated: the data chunk declares " + header.dataBytes() + " bytes from offset "
                    + header.dataOffset() + ", the file has " + size + " bytes");
        }
        if (header.sampleRate() != sampleRate) {
            return Decoded.unusable("sample rate " + header.sampleRate() + " Hz, the model's is " + sampleRate
                    + " Hz");
        }
        int channels = header.channels();
        float[] all = new float[CHUNK];
        int count = 0;
        try (InputStream in = new BufferedInputStream(source.open());
             PcmReader reader = PcmReader.wav(in)) {
            while (true) {
                if (all.length - count < channels) {
                    all = Arrays.copyOf(all, all.length * 2);
                }
                int got = reader.read(all, count, all.length - count);
                if (got < 0) {
                    break;
                }
                count += got;
            }
        }
        int frames = count / channels;
        if (frames == 0) {
            return Decoded.unusable("no samples");
        }
        List<Channel> found = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            float[] ch = new float[frames];
            boolean silent = true;
            for (int t = 0; t < frames; t++) {
                ch[t] = all[t * channels + c];
                silent &= ch[t] == 0f;
            }
            if (silent) {
                if (channels > 1) {
                    Logger.warn("skipping channel {} of {}: silent (every sample is zero)", c, name);
                }
            } else {
                found.add(new Channel(c, channels, ch));
            }
        }
        if (found.isEmpty()) {
            return Decoded.unusable("silent (every sample is zero)");
        }
        return new Decoded(found, null);
    }
}
