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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted messages to the {@link MessageIndex} in batches, off the acceptance path: the
 * spool is what makes a message accepted, and one transaction for everything that arrived
 * meanwhile keeps the database from capping acceptance. Until its batch is written, a message
 * is still found here ({@link #unwritten}). A database that is down is waited for, batch by
 * batch, for as long as it takes. Room in the queue is {@link #reserve reserved} before a
 * message is spooled, so a slow database slows acceptance (or refuses it for a while) rather
 * than filling the heap, and nothing waits once a message is accepted. After each write,
 * {@code onWritten} hears the ids (the spool then stops holding them for recovery).
 */
public final class MessageIndexWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIndexWriter.class);
    static final int MAX_BATCH = 2000;
    /** Records waiting to be written at most: room for them is reserved before their message is spooled. */
    static final int CAPACITY = 50_000;
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private final MessageIndex index;
    private final Consumer<List<String>> onWritten;
    private final LinkedBlockingQueue<MessageRecord> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(CAPACITY);
    private final ConcurrentHashMap<String, MessageRecord> unwritten = new ConcurrentHashMap<>();
    private final Thread thread;
    private long added; // guarded by this
    private long written; // guarded by this
    private volatile boolean closing;

    public MessageIndexWriter(MessageIndex index, Consumer<List<String>> onWritten) {
        this.index = index;
        this.onWritten = onWritten;
        this.thread = Thread.ofPlatform().daemon().name("message-index").start(this::run);
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
    public void add(List<MessageRecord> records) {
        if (closing) {
            throw new IllegalStateException("the message index writer is closed");
        }
        synchronized (this) {
            for (var record : records) {
                unwritten.put(record.id(), record);
                queue.add(record);
            }
            added += records.size();
        }
    }

    /** Queues records, waiting for room as long as it takes (for start-up, before anything is accepted). */
    public void addWaiting(List<MessageRecord> records) throws InterruptedException {
        room.acquire(records.size());
        add(records);
    }

    /** A message accepted but not in the database yet. */
    public Optional<MessageRecord> unwritten(String id) {
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
        var batch = new ArrayList<MessageRecord>();
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
                batch.forEach(record -> unwritten.remove(record.id(), record));
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
    private void write(List<MessageRecord> batch) throws InterruptedException {
        if (tryWrite(batch)) {
            announce(batch);
        }
    }

    /** True once the batch is in the database; false when given up (records refused, or stopping). */
    private boolean tryWrite(List<MessageRecord> batch) throws InterruptedException {
        var backoff = Duration.ofMillis(100);
        while (true) {
            try {
                index.record(batch);
                return true;
            } catch (RuntimeException e) {
                if (refusesData(e)) {
                    writeOneByOne(batch);
                    return false;
                }
                if (closing) {
                    LOG.warn("writing {} accepted messages to the database failed while stopping; they are written at the next start",
                            batch.size(), e);
                    return false;
                }
                LOG.warn("writing {} accepted messages to the database failed; retrying in {} ms", batch.size(), backoff.toMillis(), e);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void writeOneByOne(List<MessageRecord> batch) throws InterruptedException {
        var written = new ArrayList<MessageRecord>();
        for (var record : batch) {
            try {
                index.record(List.of(record));
                written.add(record);
            } catch (RuntimeException e) {
                if (!refusesData(e)) {
                    if (tryWrite(List.of(record))) { // the database went away meanwhile: wait for it
                        written.add(record);
                    }
                    continue;
                }
                LOG.error("message {} is spooled and will be delivered, but the database refuses its record, so the API cannot show it",
                        record.id(), e);
            }
        }
        announce(written);
    }

    private void announce(List<MessageRecord> records) {
        try {
            onWritten.accept(records.stream().map(MessageRecord::id).toList());
        } catch (RuntimeException e) {
            LOG.warn("could not note {} messages as recorded; they are written again at the next start", records.size(), e);
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
