package dev.mailroom.spool;

import java.time.Instant;
import java.util.List;

/**
 * A message accepted for delivery: its envelope and the signed bytes, which are stored once
 * however many recipients it has, and never changed afterwards. {@code returnPathDomain} is
 * where the per-recipient return paths live ({@code rp.<sending domain>}); {@code notBefore}
 * holds a scheduled message back (null: send now); {@code priority} orders a tenant's queue
 * (0 goes first: transactional mail ahead of bulk); {@code notes} are the submitter's own bytes,
 * kept with the message so that what it recorded elsewhere can be rebuilt after a crash.
 */
public record SpooledMessage(String id, String tenantId, String domainId, String returnPathDomain, List<String> recipients,
        Instant acceptedAt, Instant notBefore, int priority, byte[] notes, byte[] body) {
    /** Priorities run from 0 (first) to this. */
    public static final int LOWEST_PRIORITY = 9;

    /** Ids are keys in the spool: lower-case letters, digits and {@code _}, as Mailroom's ids are. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-z_]{1,64}");

    public SpooledMessage {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a spooled message id is 1 to 64 of [0-9a-z_], got '" + id + "'");
        }
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        if (priority < 0 || priority > LOWEST_PRIORITY) {
            throw new IllegalArgumentException("a priority is 0 to " + LOWEST_PRIORITY + ", got " + priority);
        }
        if (!ID.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("a spooled tenant id is 1 to 64 of [0-9a-z_], got '" + tenantId + "'");
        }
        notes = notes == null ? new byte[0] : notes;
    }

    @Override
    public String toString() {
        return "SpooledMessage[" + id + ", " + recipients.size() + " recipients, " + body.length + " bytes]";
    }
}
