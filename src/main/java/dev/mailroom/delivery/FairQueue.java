package dev.mailroom.delivery;

import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.spool.SpooledMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The recipients waiting for one lane's connections, served tenant by tenant in turn, and within a
 * tenant by priority: one tenant's backlog of bulk mail cannot hold up another tenant's password
 * reset, nor the same tenant's own.
 */
final class FairQueue {
    private final Map<String, List<ArrayDeque<QueuedRecipient>>> byTenant = new HashMap<>();
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int size;
    private boolean released;

    synchronized void add(QueuedRecipient recipient) {
        var queues = byTenant.get(recipient.tenantId());
        if (queues == null) {
            queues = new ArrayList<>();
            for (int i = 0; i <= SpooledMessage.LOWEST_PRIORITY; i++) {
                queues.add(new ArrayDeque<>());
            }
            byTenant.put(recipient.tenantId(), queues);
            turns.addLast(recipient.tenantId());
        }
        queues.get(recipient.priority()).addLast(recipient);
        size++;
        notifyAll();
    }

    /** The next recipient, waiting at most {@code timeoutMillis}; null when none came. */
    synchronized QueuedRecipient poll(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (size == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || released) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        var tenant = turns.pollFirst();
        var queues = byTenant.get(tenant);
        QueuedRecipient next = null;
        for (var queue : queues) {
            if (!queue.isEmpty()) {
                next = queue.pollFirst();
                break;
            }
        }
        size--;
        if (queues.stream().allMatch(ArrayDeque::isEmpty)) {
            byTenant.remove(tenant);
        } else {
            turns.addLast(tenant);
        }
        return next;
    }

    /** Wakes every waiting poll, which then returns what there is (delivery is stopping). */
    synchronized void release() {
        released = true;
        notifyAll();
    }

    /** Takes everything waiting (a site that cannot be reached defers it all at once). */
    synchronized List<QueuedRecipient> drain() {
        var all = new ArrayList<QueuedRecipient>(size);
        byTenant.values().forEach(queues -> queues.forEach(all::addAll));
        byTenant.clear();
        turns.clear();
        size = 0;
        return all;
    }

    synchronized int size() {
        return size;
    }
}
