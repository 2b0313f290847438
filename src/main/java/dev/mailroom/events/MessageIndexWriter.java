package dev.mailroom.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted messages to the {@link MessageIndex} in batches, off the acceptance path: the
 * spool is what makes a message accepted, and one transaction for everything that arrived
 * during the previous one keeps the database from capping acceptance. Until its batch is
 * written, a message is still found here ({@link #unwritten}). If the process dies first, the
 * spool still has the message and its notes, and start-up writes it again.
 */
public final class MessageIndexWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIndexWriter.class);
    static final int MAX_BATCH = 2000;
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private final MessageIndex index;
    private final LinkedBlockingQueue<MessageRecord> queue = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, MessageRecord> unwritten = new ConcurrentHashMap<>();
    private final Thread thread;
    private long added; // guarded by this
    private long written; // guarded by this
    private volatile boolean closing;

    public MessageIndexWriter(MessageIndex index) {
        this.index = index;
        this.thread = Thread.ofPlatform().daemon().name("message-index").start(this::run);
    }

    public void add(List<MessageRecord> records) {
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the message index writer is closed");
            }
            records.forEach(record -> unwritten.put(record.id(), record));
            queue.addAll(records);
            added += records.size();
        }
    }

    /** A message accepted but not in the database yet. */
    public Optional<MessageRecord> unwritten(String id) {
        return Optional.ofNullable(unwritten.get(id));
    }

    /** Waits until everything added before this call is in the database (or given up on). */
    public synchronized void flush() throws InterruptedException {
        long target = added;
        while (written < target && thread.isAlive()) {
            wait(100);
        }
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
                synchronized (this) {
                    written += batch.size();
                    notifyAll();
                }
                batch.clear();
            }
        }
    }

    /** Retries a failing batch a few times, then record by record so one bad record cannot hold up the rest. */
    private void write(List<MessageRecord> batch) throws InterruptedException {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                index.record(batch);
                return;
            } catch (RuntimeException e) {
                LOG.warn("writing {} accepted messages to the database failed (attempt {}); retrying", batch.size(), attempt, e);
                Thread.sleep(200L * attempt);
            }
        }
        for (var record : batch) {
            try {
                index.record(List.of(record));
            } catch (RuntimeException e) {
                LOG.error("message {} is spooled and will be delivered, but could not be written to the database, so the API cannot show it",
                        record.id(), e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
