package dev.mailroom.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A recipient waiting in a tenant's queue, with what delivery needs to send to it: where it sits
 * in the queue (priority, then the time it is due), its message's envelope, and how many attempts
 * have failed so far.
 */
public record QueuedRecipient(String tenantId, int priority, long dueMillis, String messageId, int index, String address,
        int failedAttempts, String domainId, String returnPathDomain, Instant acceptedAt) {

    /** {@code <tenant>#<priority><due millis><message id>#<index>}: a tenant's queue sorts by priority, then due time. */
    byte[] queueKey() {
        return queueKey(tenantId, priority, dueMillis, messageId, index);
    }

    static byte[] queueKey(String tenantId, int priority, long dueMillis, String messageId, int index) {
        var tenant = tenantId.getBytes(StandardCharsets.US_ASCII);
        var message = messageId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(tenant.length + 1 + 1 + Long.BYTES + message.length + 1 + Integer.BYTES)
                .put(tenant).put((byte) '#').put((byte) priority).putLong(dueMillis)
                .put(message).put((byte) '#').putInt(index).array();
    }

    /** The start of a tenant's queue, or of one priority within it. */
    static byte[] tenantPrefix(String tenantId) {
        return (tenantId + "#").getBytes(StandardCharsets.US_ASCII);
    }
}
