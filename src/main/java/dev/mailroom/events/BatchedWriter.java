package dev.mailroom.events;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the spool already holds durably (accepted messages, delivery reports) to the
 * database in batches, off the hot path: one transaction for everything that arrived meanwhile
 * keeps the database from capping acceptance and delivery. Until its batch is written, an item
 * is still found here ({@link #unwritten}). A database that is down is waited for, batch by
 * batch, for as long as it takes. Room in the queue is {@link #reserve reserved} before the
 * spool write, so a slow database slows the writers (or refuses them for a while) rather than
 * filling the heap, and nothing waits once the spool has it. After each write, {@code onWritten}
 * hears the items (the spool then stops holding them for recovery).
 */
public final class BatchedWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchedWriter.class);
    static final int MAX_BATCH = 2000;
    /** Records waiting to be written at most: room for them is reserved before their message is spooled. */
    static final int CAPACITY = 50_000;
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private final String what;
    private final Consumer<List<T>> writer;
    private final Function<T, String> idOf;
    private final Consumer<List<T>> onWritten;
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(CAPACITY);
    private final ConcurrentHashMap<String, T> unwritten = new ConcurrentHashMap<>();
    private final Thread thread;
    private long added; // guarded by this
    private long written; // guarded by this
    private volatile boolean closing;

    /**
     * @param what names the items in logs, e.g. "accepted messages"
     * @param writer writes one batch in one transaction; replays must be harmless
     * @param idOf the key {@link #unwritten} finds an item by
     */
    public BatchedWriter(String what, Consumer<List<T>> writer, Function<T, String> idOf, Consumer<List<T>> onWritten) {
        this.what = what;
        this.writer = writer;
        this.idOf = idOf;
        this.onWritten = onWritten;
        this.thread = Thread.ofPlatform().daemon().name("batched-writer " + what).start(this::run);
    }

    /** Reserves room for {@code count} records, waiting at most {@code timeout}; false when there was none. */
    public boolean reserve(int count, Duration timeout) throws InterruptedException {
        return room.tryAcquire(count, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gives back room reserved for records that will not come. */
    public void unreserve(int count) {
        room.release(count);
    }

    /** Queues records for which room was {@link #reserve reserved}; never waits. */
    public void add(List<T> records) {
        if (closing) {
            throw new IllegalStateException("the writer of " + what + " is closed");
        }
        synchronized (this) {
            for (var record : records) {
                unwritten.put(idOf.apply(record), record);
                queue.add(record);
            }
            added += records.size();
        }
    }

    /** Queues records, waiting for room as long as it takes (for start-up, before anything is accepted). */
    public void addWaiting(List<T> records) throws InterruptedException {
        room.acquire(records.size());
        add(records);
    }

    /** An item queued but not in the database yet. */
    public Optional<T> unwritten(String id) {
        return Optional.ofNullable(unwritten.get(id));
    }

    /** Waits until everything added before this call is in the database; false when {@code timeout} passed first. */
    public synchronized boolean flush(Duration timeout) throws InterruptedException {
        long target = added;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.isAlive()) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void run() {
        var batch = new ArrayList<T>();
        while (!closing || !queue.isEmpty()) {
            try {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // a short wait lets a busy stream gather into one transaction: each commit costs more than a row
                long until = System.nanoTime() + LINGER_NANOS;
                while (batch.size() < MAX_BATCH && !closing) {
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    var next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.forEach(record -> unwritten.remove(idOf.apply(record), record));
                room.release(batch.size());
                synchronized (this) {
                    written += batch.size();
                    notifyAll();
                }
                batch.clear();
            }
        }
    }

    /**
     * Writes a batch, waiting out a database that is down. A batch the database refuses for
     * what it holds (a data or constraint error) is written record by record, and only the
     * records refused that way are given up, logged.
     */
    private void write(List<T> batch) throws InterruptedException {
        if (tryWrite(batch)) {
            announce(batch);
        }
    }

    /** True once the batch is in the database; false when given up (records refused, or stopping). */
    private boolean tryWrite(List<T> batch) throws InterruptedException {
        var backoff = Duration.ofMillis(100);
        while (true) {
            try {
                writer.accept(batch);
                return true;
            } catch (RuntimeException e) {
                if (refusesData(e)) {
                    writeOneByOne(batch);
                    return false;
                }
                if (closing) {
                    LOG.warn("writing {} {} to the database failed while stopping; they are written at the next start",
                            batch.size(), what, e);
                    return false;
                }
                LOG.warn("writing {} {} to the database failed; retrying in {} ms", batch.size(), what, backoff.toMillis(), e);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void writeOneByOne(List<T> batch) throws InterruptedException {
        var written = new ArrayList<T>();
        for (var record : batch) {
            try {
                writer.accept(List.of(record));
                written.add(record);
            } catch (RuntimeException e) {
                if (!refusesData(e)) {
                    if (tryWrite(List.of(record))) { // the database went away meanwhile: wait for it
                        written.add(record);
                    }
                    continue;
                }
                LOG.error("the database refuses {} of {}; the spool keeps it, but the API cannot show it", idOf.apply(record), what, e);
            }
        }
        announce(written);
    }

    private void announce(List<T> records) {
        try {
            onWritten.accept(records);
        } catch (RuntimeException e) {
            LOG.warn("could not note {} {} as recorded; they are written again at the next start", records.size(), what, e);
        }
    }

    /** SQLSTATE class 22 (data exception) or 23 (integrity constraint): retrying cannot help. */
    private static boolean refusesData(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** Stops after writing what was queued. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
