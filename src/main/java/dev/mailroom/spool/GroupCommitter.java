package dev.mailroom.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Makes writes durable in groups: each caller hands over its changes and waits; one thread
 * takes every change waiting, writes them as one batch with a synced WAL, and releases all
 * their callers together. Under load one fsync serves many writers, so durability does not
 * cap throughput; alone, a writer pays one fsync as it must.
 */
final class GroupCommitter implements AutoCloseable {
    /** How many callers, and how many bytes of changes, one sync carries at most. */
    static final int MAX_GROUP = 1024;
    static final long MAX_GROUP_BYTES = 32L * 1024 * 1024;
    private final RocksDB db;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean closed; // guarded by this: no request is queued once the committer has been told to stop
    private volatile Throwable broken;

    private record Request(Consumer<WriteBatch> changes, long bytes, CompletableFuture<Void> done) {}

    GroupCommitter(RocksDB db) {
        this.db = db;
        // a platform thread: the sync is a long native call that would pin a virtual thread's carrier
        this.thread = Thread.ofPlatform().daemon().name("spool-commit").start(this::run);
    }

    /**
     * Applies the changes and returns once they are synced to disk. An interrupt does not cut
     * the wait short: the write may already be on its way, and a caller told "failed" must not
     * find it done.
     */
    void commit(Consumer<WriteBatch> changes, long bytes) {
        var request = new Request(changes, bytes, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the spool is closed", broken);
            }
            queue.add(request);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    request.done().get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new SpoolException("spool write failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try (var options = new WriteOptions().setSync(true)) {
            var group = new ArrayList<Request>();
            while (!isClosed() || !queue.isEmpty()) {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                long bytes = first.bytes();
                Request next;
                while (group.size() < MAX_GROUP && bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
                    group.add(next);
                    bytes += next.bytes();
                }
                write(options, group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error (out of memory): stop taking writes rather than leave callers waiting
            broken = e;
        } finally {
            synchronized (this) {
                closed = true;
            }
            Request left;
            while ((left = queue.poll()) != null) {
                left.done().completeExceptionally(new IllegalStateException("the spool stopped before this write", broken));
            }
        }
    }

    private void write(WriteOptions options, List<Request> group) throws RocksDBException {
        var staged = new ArrayList<Request>(group.size());
        try (var batch = new WriteBatch()) {
            for (var request : group) {
                // a savepoint per caller: one caller's bad changes fail that caller alone
                batch.setSavePoint();
                try {
                    request.changes().accept(batch);
                    staged.add(request);
                } catch (RuntimeException e) {
                    batch.rollbackToSavePoint();
                    request.done().completeExceptionally(e);
                }
            }
            try {
                db.write(options, batch);
            } catch (RocksDBException | RuntimeException e) {
                staged.forEach(request -> request.done().completeExceptionally(e));
                return;
            } catch (Error e) {
                staged.forEach(request -> request.done().completeExceptionally(e));
                throw e;
            }
            staged.forEach(request -> request.done().complete(null));
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops after writing what was handed over; returns only once no write can still be running. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
