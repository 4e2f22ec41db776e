package dev.pdq.train.loop;

import dev.pdq.train.files.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The checkpoint file of a training run (written atomically after every epoch), big-endian:
 *
 * <pre>
 *   magic "PDQT" (not PDQC: that is the code stream's), version (i32) = 2 (1: without the per-corpus line)
 *   settings: count (i32), then key and value (modified UTF-8) each    (the {@link TrainConfig#fingerprint})
 *   k, n (i32)
 *   epochs done (i32), global step (i64), divergence reference MSE (f64)
 *   K (k*n f32)
 *   Adam: t (i64), m (k*n f64), v (k*n f64)
 *   norm warm-start vector (n f64)
 *   has best (u8), best K (k*n f32 if any), best MSE (f64), best epoch (i32), epochs since best (i32),
 *   stopped early (u8)
 *   log rows: count (i32), each: epoch (i32), steps (i64), 11 f64 fields in {@link EpochRecord} order, best (u8),
 *             per-corpus validation line (modified UTF-8; not in version 1)
 *   CRC32 of everything before it (i64)
 * </pre>
 */
public final class Checkpoint {
    public static final byte[] MAGIC = {'P', 'D', 'Q', 'T'};
    public static final int VERSION = 2;
    /** Bounds checked before allocating anything sized by the file. */
    private static final int MAX_DIM = 4096;
    private static final int MAX_ROWS = 1_000_000;

    private Checkpoint() {
    }

    /** A checkpoint read back: the settings it was written with and the state. */
    public record Loaded(Map<String, String> settings, TrainState state) {
    }

    public static byte[] toBytes(TrainState s, Map<String, String> settings) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + 40 * s.k * s.n);
            DataOutputStream out = new DataOutputStream(buf);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(settings.size());
            for (Map.Entry<String, String> e : settings.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(s.k);
            out.writeInt(s.n);
            out.writeInt(s.epochsDone);
            out.writeLong(s.step);
            out.writeDouble(s.referenceMse);
            writeFloats(out, s.kMat);
            out.writeLong(s.adam.steps());
            writeDoubles(out, s.adam.firstMoment());
            writeDoubles(out, s.adam.secondMoment());
            writeDoubles(out, s.norm.vector());
            out.writeBoolean(s.bestK != null);
            if (s.bestK != null) {
                writeFloats(out, s.bestK);
            }
            out.writeDouble(s.bestMse);
            out.writeInt(s.bestEpoch);
            out.writeInt(s.sinceBest);
            out.writeBoolean(s.stoppedEarly);
            out.writeInt(s.log.size());
            for (EpochRecord r : s.log) {
                out.writeInt(r.epoch());
                out.writeLong(r.steps());
                for (double d : new double[] {r.lrFirst(), r.lrLast(), r.trainMse(), r.validMse(), r.validSnrDb(),
                        r.validSnrOverallDb(), r.validSegSnrDb(), r.trainSeconds(), r.validSeconds(),
                        r.framesPerSecond(), r.peakHeapMib()}) {
                    out.writeDouble(d);
                }
                out.writeBoolean(r.best());
                out.writeUTF(r.validCorpora());
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(buf.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /** Writes atomically (temporary file, then rename). */
    public static void write(Path target, TrainState s, Map<String, String> settings) throws IOException {
        AtomicFiles.write(target, toBytes(s, settings));
    }

    /**
     * Reads and checks a checkpoint.
     *
     * @throws IOException naming the file and what is wrong (not a checkpoint, another version, truncated, bad
     *                     checksum)
     */
    public static Loaded read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads and checks the bytes of a checkpoint.
     *
     * @param source where the bytes come from, for messages
     * @throws IOException as {@link #read(Path)}
     */
    public static Loaded read(byte[] bytes, String source) throws IOException {
        String where = "checkpoint " + source;
        if (bytes.length < 16) {
            throw new IOException(where + ": " + bytes.length + " bytes, too short to be a checkpoint");
        }
        for (int i = 0; i < 4; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException(where + ": not a pdq checkpoint (no PDQT magic at byte 0)");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(where + ": checksum mismatch (the file is damaged or truncated)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 4, bytes.length - 12));
        try {
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new IOException(where + ": version " + version + ", this program reads versions 1 and "
                        + VERSION);
            }
            int count = in.readInt();
            check(where, "settings count", count, 0, 1000);
            Map<String, String> settings = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                settings.put(in.readUTF(), in.readUTF());
            }
            int k = in.readInt();
            int n = in.readInt();
            check(where, "k", k, 1, MAX_DIM);
            check(where, "n", n, 1, MAX_DIM);
            TrainState s = new TrainState(new float[k * n], k, n);
            s.epochsDone = in.readInt();
            check(where, "epochs done", s.epochsDone, 0, Integer.MAX_VALUE);
            s.step = in.readLong();
            s.referenceMse = in.readDouble();
            readFloats(in, s.kMat);
            long t = in.readLong();
            double[] m = new double[k * n];
            double[] v = new double[k * n];
            readDoubles(in, m);
            readDoubles(in, v);
            s.adam.restore(m, v, t);
            double[] vec = new double[n];
            readDoubles(in, vec);
            s.norm.restore(vec);
            if (in.readBoolean()) {
                s.bestK = new float[k * n];
                readFloats(in, s.bestK);
            }
            s.bestMse = in.readDouble();
            s.bestEpoch = in.readInt();
            s.sinceBest = in.readInt();
            s.stoppedEarly = in.readBoolean();
            int rows = in.readInt();
            check(where, "log rows", rows, 0, MAX_ROWS);
            for (int i = 0; i < rows; i++) {
                int epoch = in.readInt();
                long steps = in.readLong();
                double[] d = new double[11];
                for (int j = 0; j < d.length; j++) {
                    d[j] = in.readDouble();
                }
                boolean best = in.readBoolean();
                String corpora = version >= 2 ? in.readUTF() : "";
                s.log.add(new EpochRecord(epoch, steps, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
                        d[10], best, corpora));
            }
            if (in.available() != 0) {
                throw new IOException(where + ": " + in.available() + " unexpected bytes before the checksum");
            }
            return new Loaded(settings, s);
        } catch (EOFException e) {
            throw new IOException(where + ": ends early (truncated or written by another version)", e);
        }
    }

    /** The keys whose values differ between two settings maps, as "key: a vs b" lines; empty if equal. */
    public static String differences(Map<String, String> stored, Map<String, String> given) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(stored.keySet());
        keys.addAll(given.keySet());
        for (String key : keys) {
            String a = stored.get(key);
            String b = given.get(key);
            if (a == null ? b != null : !a.equals(b)) {
                sb.append("\n  ").append(key).append(": checkpoint ").append(a).append(", now ").append(b);
            }
        }
        return sb.toString();
    }

    private static void check(String where, String what, long value, long lo, long hi) throws IOException {
        if (value < lo || value > hi) {
            throw new IOException(where + ": " + what + " = " + value + " not in " + lo + ".." + hi);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    private static void readFloats(DataInputStream in, float[] a) throws IOException {
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
    }

    private static void readDoubles(DataInputStream in, double[] a) throws IOException {
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
    }
}
