package dev.mailroom.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
    /** How many callers' changes one sync may carry at most. */
    static final int MAX_GROUP = 1024;
    private final RocksDB db;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Request(Consumer<WriteBatch> changes, CompletableFuture<Void> done) {}

    GroupCommitter(RocksDB db) {
        this.db = db;
        // a platform thread: the sync is a long native call that would pin a virtual thread's carrier
        this.thread = Thread.ofPlatform().daemon().name("spool-commit").start(this::run);
    }

    /** Applies the changes and returns once they are synced to disk. */
    void commit(Consumer<WriteBatch> changes) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the spool is closed");
        }
        var request = new Request(changes, new CompletableFuture<>());
        queue.add(request);
        try {
            request.done().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SpoolException("spool write failed", e.getCause());
        }
    }

    private void run() {
        try (var options = new WriteOptions().setSync(true)) {
            var group = new ArrayList<Request>();
            while (!closed || !queue.isEmpty()) {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                write(options, group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the spool closed before this write"));
        }
    }

    private void write(WriteOptions options, List<Request> group) {
        try (var batch = new WriteBatch()) {
            for (var request : group) {
                request.changes().accept(batch);
            }
            db.write(options, batch);
            group.forEach(request -> request.done().complete(null));
        } catch (RocksDBException | RuntimeException e) {
            group.forEach(request -> request.done().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
