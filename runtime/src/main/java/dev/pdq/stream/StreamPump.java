package dev.pdq.stream;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.CellReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The feed loop of a stream: reads samples (or samples with their cells, from a {@link CellReader}) as they
 * arrive, pushes them into a {@link StreamDequantizer} and ends the stream and the writer at the end of the input.
 *
 * <p>Batches and idleness. A reader thread reads ahead into a few preallocated chunks while the caller's thread
 * solves, so input that is only slow to arrive (a pipe whose writer is a moment behind, a network link in bursts)
 * fills whole batches; only when no sample has arrived for {@link #idleNanos()} is the partial batch solved, so a
 * live pipe that goes quiet never waits for a batch to fill. (Asking the input whether bytes are available cannot
 * tell the two apart: a pipe holds at most 64 KiB, less than a batch of 128 frames, so a batch read from a pipe
 * would never be full.)
 *
 * <p>Faults and signals. A fault of the input ({@link AudioFormatException} or an I/O error) is thrown after every
 * sample before it was dequantized and written out ({@link InputFault}). {@link #finishOnSignal} (run from a
 * shutdown hook on SIGINT or SIGTERM) takes the lock the loop holds while it works, pushes what the reader has
 * already delivered, ends the stream and the writer: every sample received is written out.
 *
 * <p>One pump per stream; {@link #run} is called once.
 */
public final class StreamPump {
    /** No sample for this long means the input is idle: the partial batch is solved. */
    public static final long DEFAULT_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Chunks the reader may hold ahead of the solver, and sample frames a chunk holds. */
    static final int CHUNKS = 4;
    static final int CHUNK_FRAMES = 4096;

    /** The input failed: {@link #getCause()} is the reader's exception; everything before it was written out. */
    public static final class InputFault extends IOException {
        private final long framesWritten;

        InputFault(IOException cause, long framesWritten) {
            super(cause.getMessage(), cause);
            this.framesWritten = framesWritten;
        }

        /** Sample frames (per channel) written out before the fault. */
        public long framesWritten() {
            return framesWritten;
        }
    }

    private static final class Chunk {
        final float[] x;
        final float[] below;
        final float[] above;
        int count;
        IOException fault;

        Chunk(int values, boolean cells) {
            x = new float[values];
            below = cells ? new float[values] : null;
            above = cells ? new float[values] : null;
        }
    }

    private final SampleReader reader;
    private final CellReader cells;
    private final StreamDequantizer stream;
    private final SampleWriter writer;
    private final long idleNanos;
    private final Ring free = new Ring(CHUNKS);
    private final Ring full = new Ring(CHUNKS);
    private final Object lock = new Object();
    private boolean done;

    /**
     * @param reader    the input; a {@link CellReader} gives its cells to the stream ({@link
     *                  StreamDequantizer#pushCells}), any other reader its values on the stream's grid
     * @param idleNanos how long no input counts as idle
     */
    public StreamPump(SampleReader reader, StreamDequantizer stream, SampleWriter writer, long idleNanos) {
        if (idleNanos < 0) {
            throw new IllegalArgumentException("idle time " + idleNanos + " ns is negative");
        }
        if (reader.channels() != stream.channels()) {
            throw new IllegalArgumentException("reader has " + reader.channels() + " channels, the stream "
                    + stream.channels());
        }
        this.reader = reader;
        this.cells = reader instanceof CellReader c ? c : null;
        this.stream = stream;
        this.writer = writer;
        this.idleNanos = idleNanos;
        for (int i = 0; i < CHUNKS; i++) {
            free.offer(new Chunk(CHUNK_FRAMES * reader.channels(), cells != null));
        }
    }

    public long idleNanos() {
        return idleNanos;
    }

    /**
     * Runs the stream to the end of the input (the stream and the writer finished), or until {@link
     * #finishOnSignal} finished it. A SIGINT or SIGTERM in between is handled by a shutdown hook for the run's
     * duration.
     *
     * @throws InputFault  the input failed, after everything before the fault was written out
     * @throws IOException writing failed
     */
    public void run() throws IOException {
        Thread hook = new Thread(this::finishOnSignal, "pdq-signal-flush");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread feeder = new Thread(this::readAhead, "pdq-reader");
        feeder.setDaemon(true);
        feeder.start();
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        } finally {
            feeder.interrupt();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it finishes the stream
            }
        }
    }

    /** The reader thread: fills free chunks until the end of the input or a fault, each handed over in order. */
    private void readAhead() {
        try {
            while (true) {
                Chunk c = free.take();
                try {
                    c.count = cells != null ? cells.readCells(c.x, c.below, c.above, 0, c.x.length)
                            : reader.read(c.x, 0, c.x.length);
                } catch (IOException e) {
                    c.count = 0;
                    c.fault = e;
                }
                full.put(c);
                if (c.count < 0 || c.fault != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the loop has ended
        }
    }

    private void loop() throws IOException, InterruptedException {
        while (true) {
            Chunk c = full.poll(idleNanos);
            if (c == null) {
                synchronized (lock) {
                    if (done) {
                        return;
                    }
                    stream.flushPending();
                }
                c = full.take();
            }
            synchronized (lock) {
                if (done) {
                    return;
                }
                if (c.fault != null) {
                    end();
                    throw new InputFault(c.fault, stream.emitted());
                }
                if (c.count < 0) {
                    end();
                    return;
                }
                push(c);
            }
            free.put(c);
        }
    }

    private void push(Chunk c) throws IOException {
        int frames = c.count / stream.channels();
        if (c.below != null) {
            stream.pushCells(c.x, c.below, c.above, 0, frames);
        } else {
            stream.push(c.x, 0, frames);
        }
    }

    /** Under the lock: ends the stream and the writer. */
    private void end() throws IOException {
        done = true;
        stream.finish();
        writer.finish();
    }

    /**
     * Ends the stream now (SIGINT, SIGTERM): pushes every chunk the reader has delivered, then ends the stream and
     * the writer, so every sample received is written out. Does nothing if the stream has ended.
     */
    public void finishOnSignal() {
        synchronized (lock) {
            if (done) {
                return;
            }
            try {
                for (Chunk c = full.next(); c != null && c.fault == null && c.count > 0; c = full.next()) {
                    push(c);
                }
                end();
            } catch (IOException e) {
                done = true;
                System.err.println("pdq: could not write out the last samples: " + e.getMessage());
            }
        }
    }

    /**
     * A bounded FIFO of chunks handed between the two threads with a monitor: unlike java.util.concurrent's queues,
     * whose waits allocate a node each time, it allocates nothing, so the streaming path stays allocation-free.
     */
    private static final class Ring {
        private final Chunk[] items;
        private int head;
        private int size;

        Ring(int capacity) {
            items = new Chunk[capacity];
        }

        /** Adds without waiting (there is always room: a ring holds every chunk). */
        synchronized void offer(Chunk c) {
            if (size == items.length) {
                throw new IllegalStateException("chunk ring overflow");
            }
            items[(head + size) % items.length] = c;
            size++;
            notifyAll();
        }

        synchronized void put(Chunk c) {
            offer(c);
        }

        synchronized Chunk take() throws InterruptedException {
            while (size == 0) {
                wait();
            }
            return remove();
        }

        /** The next chunk, or null when none arrived within {@code nanos}. */
        synchronized Chunk poll(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (size == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return remove();
        }

        /** The next chunk without waiting, or null. */
        synchronized Chunk next() {
            return size == 0 ? null : remove();
        }

        private Chunk remove() {
            Chunk c = items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            size--;
            return c;
        }
    }
}
