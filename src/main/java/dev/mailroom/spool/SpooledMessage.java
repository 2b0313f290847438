package dev.mailroom.spool;

import java.time.Instant;
import java.util.List;

/**
 * A message accepted for delivery: its envelope and the signed bytes, which are stored once
 * however many recipients it has, and never changed afterwards.
 */
public record SpooledMessage(String id, String tenantId, String domainId, String mailFrom, List<String> recipients,
        Instant acceptedAt, byte[] body) {
    public SpooledMessage {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
    }

    @Override
    public String toString() {
        return "SpooledMessage[" + id + ", " + recipients.size() + " recipients, " + body.length + " bytes]";
    }
}
