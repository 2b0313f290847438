package dev.mailroom.spool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The node-local store of accepted messages (RocksDB): each message's signed bytes once, its
 * envelope, and each recipient's address and state. {@link #append} returns only once the
 * message is synced to disk, so whoever acknowledges it (HTTP 202, SMTP 250) may do so; a
 * crash afterwards loses nothing. Opening the spool finds every unfinished recipient again.
 */
public final class Spool implements AutoCloseable {
    private static final byte[] BODIES = "bodies".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENVELOPES = "envelopes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECIPIENTS = "recipients".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATES = "states".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNRECORDED = "unrecorded".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUEUE = "queue".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNREPORTED = "unreported".getBytes(StandardCharsets.US_ASCII);
    private static final byte SEPARATOR = '#';
    private static final byte ENVELOPE_VERSION = 2;

    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle bodies;
    private final ColumnFamilyHandle envelopes;
    private final ColumnFamilyHandle recipients;
    private final ColumnFamilyHandle states;
    private final ColumnFamilyHandle unrecorded;
    private final ColumnFamilyHandle queue;
    private final ColumnFamilyHandle unreported;
    private final GroupCommitter committer;
    private volatile Runnable onRecorded = () -> {};
    private final Clock clock;

    private Spool(DBOptions options, ColumnFamilyOptions familyOptions, RocksDB db, List<ColumnFamilyHandle> handles, Clock clock) {
        this.clock = clock;
        this.options = options;
        this.familyOptions = familyOptions;
        this.db = db;
        this.handles = handles;
        this.bodies = handles.get(1);
        this.envelopes = handles.get(2);
        this.recipients = handles.get(3);
        this.states = handles.get(4);
        this.unrecorded = handles.get(5);
        this.queue = handles.get(6);
        this.unreported = handles.get(7);
        this.committer = new GroupCommitter(db);
    }

    /** Opens (or creates) the spool in {@code dir}. */
    public static Spool open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that stamps recipient states (retention counts from them). */
    public static Spool open(Path dir, Clock clock) {
        RocksDB.loadLibrary();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + dir, e);
        }
        var options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        var familyOptions = new ColumnFamilyOptions();
        var descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
                new ColumnFamilyDescriptor(BODIES, familyOptions),
                new ColumnFamilyDescriptor(ENVELOPES, familyOptions),
                new ColumnFamilyDescriptor(RECIPIENTS, familyOptions),
                new ColumnFamilyDescriptor(STATES, familyOptions),
                new ColumnFamilyDescriptor(UNRECORDED, familyOptions),
                new ColumnFamilyDescriptor(QUEUE, familyOptions),
                new ColumnFamilyDescriptor(UNREPORTED, familyOptions));
        var handles = new ArrayList<ColumnFamilyHandle>();
        try {
            var db = RocksDB.open(options, dir.toString(), descriptors, handles);
            return new Spool(options, familyOptions, db, handles, clock);
        } catch (RocksDBException e) {
            options.close();
            familyOptions.close();
            throw new SpoolException("cannot open the spool at " + dir, e);
        }
    }

    /** Stores a message with every recipient queued; returns once it is synced to disk. An id already spooled is refused. */
    public void append(SpooledMessage message) {
        appendAll(List.of(message));
    }

    /** Stores several messages in one synced write: all of them, or (on an error) none. */
    public void appendAll(List<SpooledMessage> messages) {
        var seen = new java.util.HashSet<String>();
        var envelopeBytes = new ArrayList<byte[]>(messages.size());
        long bytes = 0;
        try {
            for (var message : messages) {
                if (!seen.add(message.id()) || db.get(envelopes, key(message.id())) != null) {
                    throw new IllegalArgumentException("message " + message.id() + " is already spooled");
                }
                var envelope = encodeEnvelope(message);
                envelopeBytes.add(envelope);
                bytes += message.body().length + envelope.length + 64L * message.recipients().size();
            }
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read the spool", e);
        }
        var queued = state(RecipientState.QUEUED, clock.millis(), 0);
        committer.commit(batch -> {
            for (int m = 0; m < messages.size(); m++) {
                var message = messages.get(m);
                var id = key(message.id());
                try {
                    batch.put(bodies, id, message.body());
                    batch.put(envelopes, id, envelopeBytes.get(m));
                    batch.put(unrecorded, id, new byte[0]);
                    long due = (message.notBefore() == null ? message.acceptedAt() : message.notBefore()).toEpochMilli();
                    for (int i = 0; i < message.recipients().size(); i++) {
                        var recipient = recipientKey(message.id(), i);
                        batch.put(recipients, recipient, message.recipients().get(i).getBytes(StandardCharsets.UTF_8));
                        batch.put(states, recipient, queued);
                        batch.put(queue, QueuedRecipient.queueKey(message.tenantId(), message.priority(), due, message.id(), i), new byte[0]);
                    }
                } catch (RocksDBException e) {
                    throw new SpoolException("cannot stage message " + message.id(), e);
                }
            }
        }, bytes);
    }

    /** Records where a recipient stands now; returns once it is synced. */
    public void setState(String messageId, int index, RecipientState state) {
        var recipient = recipientKey(messageId, index);
        try {
            if (db.get(recipients, recipient) == null) {
                throw new IllegalArgumentException("message " + messageId + " has no recipient " + index);
            }
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read the spool", e);
        }
        var value = state(state, clock.millis(), 0);
        committer.commit(batch -> {
            try {
                batch.put(states, recipient, value);
            } catch (RocksDBException e) {
                throw new SpoolException("cannot stage a state of " + messageId, e);
            }
        }, 64);
    }

    /**
     * Cancels the recipients of a message that are still queued or deferred, in one synced write; returns
     * the indexes cancelled. The states are read on the committer thread from what is committed:
     * a state change staged in the same group is not seen (delivery must check a recipient's
     * state again before sending it). Their queue entries stay until {@link #due} finds them stale.
     */
    public List<Integer> cancelQueued(String messageId) {
        var prefix = prefix(messageId);
        var cancelled = new ArrayList<Integer>();
        var value = state(RecipientState.CANCELLED, clock.millis(), 0);
        committer.commit(batch -> {
            cancelled.clear();
            try (var iterator = db.newIterator(states)) {
                for (iterator.seek(prefix); iterator.isValid() && isRecipientOf(iterator.key(), prefix); iterator.next()) {
                    if (!stateOf(iterator.value()).finished()) {
                        batch.put(states, iterator.key(), value);
                        cancelled.add(ByteBuffer.wrap(iterator.key(), prefix.length, Integer.BYTES).getInt());
                    }
                }
            } catch (RocksDBException e) {
                throw new SpoolException("cannot stage the cancellation of " + messageId, e);
            }
        }, 64);
        return List.copyOf(cancelled);
    }

    /**
     * Removes every message whose recipients all finished before {@code cutoff}: its body,
     * envelope and states. Returns how many messages went.
     */
    public int removeFinishedBefore(Instant cutoff) {
        var doomed = new ArrayList<String>();
        try (var iterator = db.newIterator(envelopes)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                var id = new String(iterator.key(), StandardCharsets.US_ASCII);
                if (finishedBefore(id, cutoff.toEpochMilli())) {
                    doomed.add(id);
                }
            }
        }
        for (int from = 0; from < doomed.size(); from += 1000) {
            var group = doomed.subList(from, Math.min(doomed.size(), from + 1000));
            committer.commit(batch -> group.forEach(id -> remove(batch, id)), 64L * group.size());
        }
        return doomed.size();
    }

    /**
     * Notes that what the submitter records elsewhere about these messages (the message index)
     * is written. Not synced: a mark lost in a crash only means the record is written again.
     */
    public void markRecorded(List<String> messageIds) {
        try (var batch = new WriteBatch(); var options = new org.rocksdb.WriteOptions()) {
            for (var id : messageIds) {
                batch.delete(unrecorded, key(id));
            }
            db.write(options, batch);
        } catch (RocksDBException e) {
            throw new SpoolException("cannot mark messages recorded", e);
        }
        onRecorded.run();
    }

    /** Runs {@code listener} after messages are {@link #markRecorded marked recorded}: delivery may take them up. */
    public void onRecorded(Runnable listener) {
        this.onRecorded = listener;
    }

    /** A tenant's due recipients, and when the first one not yet due will be (Long.MAX_VALUE: none waits). */
    public record Due(List<QueuedRecipient> recipients, long nextDueMillis) {}

    /** A delivery report kept with the recipient's state until {@link #reported} says it is recorded elsewhere. */
    public record ReportKey(String messageId, int index, int attempt) {}

    /**
     * Up to {@code limit} recipients of a tenant due at {@code nowMillis}: the highest priority
     * first, then by due time. The queue is ordered that way, so this reads only what it returns
     * and what it passes over: recipients delivery already holds ({@code taken}), and those of
     * messages not yet recorded (delivery reports on a message only once its record exists). A
     * recipient that has finished meanwhile (cancelled) loses its queue entry here. Only
     * priorities up to {@code maxPriority} are read.
     */
    public Due due(String tenantId, long nowMillis, int limit, int maxPriority, BiPredicate<String, Integer> taken) {
        var prefix = QueuedRecipient.tenantPrefix(tenantId);
        var found = new ArrayList<QueuedRecipient>();
        var seen = new java.util.HashSet<String>();
        var stale = new ArrayList<byte[]>();
        long next = Long.MAX_VALUE;
        String lastMessage = null;
        Envelope envelope = null;
        try (var iterator = db.newIterator(queue)) {
            iterator.seek(prefix);
            while (iterator.isValid() && found.size() < limit && startsWith(iterator.key(), prefix)) {
                var key = iterator.key();
                int priority = key[prefix.length];
                if (priority > maxPriority) {
                    break;
                }
                long due = ByteBuffer.wrap(key, prefix.length + 1, Long.BYTES).getLong();
                if (due > nowMillis) {
                    // the rest of this priority is due later still: go on with the next one
                    next = Math.min(next, due);
                    var nextPriority = Arrays.copyOf(prefix, prefix.length + 1);
                    nextPriority[prefix.length] = (byte) (priority + 1);
                    iterator.seek(nextPriority);
                    continue;
                }
                int idStart = prefix.length + 1 + Long.BYTES;
                var messageId = new String(key, idStart, key.length - idStart - 1 - Integer.BYTES, StandardCharsets.US_ASCII);
                int index = ByteBuffer.wrap(key, key.length - Integer.BYTES, Integer.BYTES).getInt();
                iterator.next();
                // the iterator reads the queue as it was when it began: an entry moved since (a deferral) is
                // passed over, and a recipient is taken once even if its old and new entries are both seen
                if (taken.test(messageId, index) || db.get(queue, key) == null || !seen.add(messageId + "#" + index)) {
                    continue;
                }
                if (!messageId.equals(lastMessage)) {
                    lastMessage = messageId;
                    envelope = db.get(unrecorded, key(messageId)) != null ? null : readableEnvelope(messageId);
                }
                var state = db.get(states, recipientKey(messageId, index));
                if (state == null || stateOf(state).finished()) {
                    stale.add(key);
                    continue;
                }
                if (envelope == null) {
                    continue; // not recorded yet, or damaged: the next pass looks again
                }
                var address = new String(db.get(recipients, recipientKey(messageId, index)), StandardCharsets.UTF_8);
                found.add(new QueuedRecipient(tenantId, priority, due, messageId, index, address, attemptsOf(state),
                        envelope.domainId(), envelope.returnPathDomain(), envelope.acceptedAt()));
            }
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read the queue of " + tenantId, e);
        }
        deleteUnsynced(queue, stale);
        return new Due(found, next);
    }

    /** The tenants with anything in the queue, due or not. */
    public List<String> queuedTenants() {
        var tenants = new ArrayList<String>();
        try (var iterator = db.newIterator(queue)) {
            for (iterator.seekToFirst(); iterator.isValid(); ) {
                var key = iterator.key();
                int end = 0;
                while (end < key.length && key[end] != SEPARATOR) {
                    end++;
                }
                var tenant = new String(key, 0, end, StandardCharsets.US_ASCII);
                tenants.add(tenant);
                // '$' follows '#': past every key of this tenant, before any longer tenant id
                iterator.seek((tenant + "$").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return tenants;
    }

    /** The signed bytes of a spooled message. */
    public Optional<byte[]> body(String messageId) {
        try {
            return Optional.ofNullable(db.get(bodies, key(messageId)));
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read message " + messageId, e);
        }
    }

    /** The recipient's state now (delivery checks it just before sending: a cancellation may have come). */
    public Optional<RecipientState> state(String messageId, int index) {
        try {
            var value = db.get(states, recipientKey(messageId, index));
            return value == null ? Optional.empty() : Optional.of(stateOf(value));
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read the spool", e);
        }
    }

    /**
     * Ends a recipient (delivered, bounced, failed): its state, its leaving the queue and the report
     * about it in one synced write.
     */
    public void complete(QueuedRecipient recipient, RecipientState state, int attempts, byte[] report) {
        if (!state.finished()) {
            throw new IllegalArgumentException(state + " does not finish a recipient");
        }
        var value = state(state, clock.millis(), attempts);
        committer.commit(batch -> stage(batch, () -> {
            batch.put(states, recipientKey(recipient.messageId(), recipient.index()), value);
            batch.delete(queue, recipient.queueKey());
            batch.put(unreported, reportKey(recipient.messageId(), recipient.index(), attempts), report);
        }), 128L + report.length);
    }

    /**
     * Puts a recipient back in the queue, due at {@code dueMillis}, with the report about the failed
     * attempt; synced. A recipient cancelled meanwhile only leaves the queue: returns false then.
     */
    public boolean defer(QueuedRecipient recipient, long dueMillis, int attempts, byte[] report) {
        var value = state(RecipientState.DEFERRED, clock.millis(), attempts);
        var recipientKey = recipientKey(recipient.messageId(), recipient.index());
        var requeued = QueuedRecipient.queueKey(recipient.tenantId(), recipient.priority(), dueMillis, recipient.messageId(), recipient.index());
        var deferred = new boolean[1];
        committer.commit(batch -> stage(batch, () -> {
            batch.delete(queue, recipient.queueKey());
            // read on the committer thread, as cancelQueued writes: a cancellation is never undone
            var current = db.get(states, recipientKey);
            deferred[0] = current == null || stateOf(current) != RecipientState.CANCELLED;
            if (deferred[0]) {
                batch.put(states, recipientKey, value);
                batch.put(queue, requeued, new byte[0]);
                batch.put(unreported, reportKey(recipient.messageId(), recipient.index(), attempts), report);
            }
        }), 192L + report.length);
        return deferred[0];
    }

    /**
     * Moves recipients later in the queue, to {@code dueMillis}, in one synced write: no attempt is
     * counted and no report is written (a daily cap held them back, they did not fail). A recipient
     * cancelled meanwhile only leaves the queue. Returns how many were moved.
     */
    public int postpone(List<QueuedRecipient> recipients, long dueMillis) {
        var moved = new int[1];
        committer.commit(batch -> stage(batch, () -> {
            moved[0] = 0;
            for (var recipient : recipients) {
                batch.delete(queue, recipient.queueKey());
                // read on the committer thread, as cancelQueued writes: a cancellation is never undone
                var current = db.get(states, recipientKey(recipient.messageId(), recipient.index()));
                if (current != null && !stateOf(current).finished()) {
                    batch.put(queue, QueuedRecipient.queueKey(recipient.tenantId(), recipient.priority(), dueMillis, recipient.messageId(),
                            recipient.index()), new byte[0]);
                    moved[0]++;
                }
            }
        }), 96L * recipients.size());
        return moved[0];
    }

    /** Forgets reports now recorded elsewhere. Not synced: a report lost in a crash is only recorded again. */
    public void reported(List<ReportKey> reports) {
        deleteUnsynced(unreported, reports.stream().map(report -> reportKey(report.messageId(), report.index(), report.attempt())).toList());
    }

    /** Every report not yet {@link #reported}, for the next start to record. */
    public void unreported(java.util.function.Consumer<byte[]> consumer) {
        try (var iterator = db.newIterator(unreported)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                consumer.accept(iterator.value());
            }
        }
    }

    private interface Staging {
        void run() throws RocksDBException;
    }

    private static void stage(WriteBatch batch, Staging staging) {
        try {
            staging.run();
        } catch (RocksDBException e) {
            throw new SpoolException("cannot stage a change of the spool", e);
        }
    }

    private void deleteUnsynced(ColumnFamilyHandle family, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (var batch = new WriteBatch(); var options = new org.rocksdb.WriteOptions()) {
            for (var key : keys) {
                batch.delete(family, key);
            }
            db.write(options, batch);
        } catch (RocksDBException e) {
            throw new SpoolException("cannot update the spool", e);
        }
    }

    private static byte[] reportKey(String messageId, int index, int attempt) {
        var recipient = recipientKey(messageId, index);
        return ByteBuffer.allocate(recipient.length + Integer.BYTES).put(recipient).putInt(attempt).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Every message not yet {@link #markRecorded marked recorded}, in id order. */
    public void unrecorded(java.util.function.Consumer<SpooledMessage> consumer) {
        try (var iterator = db.newIterator(unrecorded)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                read(new String(iterator.key(), StandardCharsets.US_ASCII)).ifPresent(consumer);
            }
        }
    }

    /** Every message whose id sorts at or after {@code fromId}, in id order (Mailroom's ids sort by time). */
    public void acceptedSince(String fromId, java.util.function.Consumer<SpooledMessage> consumer) {
        try (var iterator = db.newIterator(envelopes)) {
            for (iterator.seek(key(fromId)); iterator.isValid(); iterator.next()) {
                var id = new String(iterator.key(), StandardCharsets.US_ASCII);
                read(id).ifPresent(consumer);
            }
        }
    }

    public Optional<SpooledMessage> read(String messageId) {
        try {
            var envelope = db.get(envelopes, key(messageId));
            if (envelope == null) {
                return Optional.empty();
            }
            var addresses = new ArrayList<String>();
            try (var iterator = db.newIterator(recipients)) {
                var prefix = prefix(messageId);
                for (iterator.seek(prefix); iterator.isValid() && isRecipientOf(iterator.key(), prefix); iterator.next()) {
                    addresses.add(new String(iterator.value(), StandardCharsets.UTF_8));
                }
            }
            var decoded = decodeEnvelope(messageId, envelope);
            return Optional.of(new SpooledMessage(messageId, decoded.tenantId(), decoded.domainId(), decoded.returnPathDomain(), addresses,
                    decoded.acceptedAt(), decoded.notBefore(), decoded.priority(), decoded.notes(), db.get(bodies, key(messageId))));
        } catch (RocksDBException e) {
            throw new SpoolException("cannot read message " + messageId, e);
        }
    }

    /** Each recipient's state, in the order the recipients were given. */
    public List<RecipientState> states(String messageId) {
        var result = new ArrayList<RecipientState>();
        try (var iterator = db.newIterator(states)) {
            var prefix = prefix(messageId);
            for (iterator.seek(prefix); iterator.isValid() && isRecipientOf(iterator.key(), prefix); iterator.next()) {
                result.add(stateOf(iterator.value()));
            }
        }
        return result;
    }

    /** Every recipient not yet finished, for delivery to take up after a start. */
    public List<PendingRecipient> pending() {
        var result = new ArrayList<PendingRecipient>();
        try (var iterator = db.newIterator(states)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                var state = stateOf(iterator.value());
                if (!state.finished()) {
                    var key = iterator.key();
                    var address = db.get(recipients, key);
                    if (address == null) {
                        continue; // cannot happen through setState, which checks; never let one bad row stop a start
                    }
                    int split = key.length - Integer.BYTES - 1;
                    result.add(new PendingRecipient(new String(key, 0, split, StandardCharsets.US_ASCII),
                            ByteBuffer.wrap(key, split + 1, Integer.BYTES).getInt(), new String(address, StandardCharsets.UTF_8), state));
                }
            }
        } catch (RocksDBException e) {
            throw new SpoolException("cannot scan the spool", e);
        }
        return result;
    }

    private boolean finishedBefore(String messageId, long cutoffMillis) {
        boolean any = false;
        try (var iterator = db.newIterator(states)) {
            var prefix = prefix(messageId);
            for (iterator.seek(prefix); iterator.isValid() && isRecipientOf(iterator.key(), prefix); iterator.next()) {
                var value = iterator.value();
                if (!stateOf(value).finished() || ByteBuffer.wrap(value, 1, Long.BYTES).getLong() >= cutoffMillis) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private void remove(WriteBatch batch, String messageId) {
        try {
            var id = key(messageId);
            var prefix = prefix(messageId);
            var end = Arrays.copyOf(prefix, prefix.length);
            end[end.length - 1]++;
            batch.delete(bodies, id);
            batch.delete(envelopes, id);
            batch.delete(unrecorded, id);
            batch.deleteRange(recipients, prefix, end);
            batch.deleteRange(states, prefix, end);
            batch.deleteRange(unreported, prefix, end);
        } catch (RocksDBException e) {
            throw new SpoolException("cannot stage the removal of " + messageId, e);
        }
    }

    /** A state is stored with the time it was reached and the failed attempts: {@code <ordinal><epoch millis, 8 bytes><attempts, 4>}. */
    private static byte[] state(RecipientState state, long atMillis, int attempts) {
        return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES).put((byte) state.ordinal()).putLong(atMillis).putInt(attempts).array();
    }

    private static int attemptsOf(byte[] value) {
        return value.length < 1 + Long.BYTES + Integer.BYTES ? 0 : ByteBuffer.wrap(value, 1 + Long.BYTES, Integer.BYTES).getInt();
    }

    private static RecipientState stateOf(byte[] value) {
        return RecipientState.values()[value[0]];
    }

    private static byte[] key(String messageId) {
        if (!SpooledMessage.ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("not a spooled message id: '" + messageId + "'");
        }
        return messageId.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] prefix(String messageId) {
        var id = key(messageId);
        var prefix = Arrays.copyOf(id, id.length + 1);
        prefix[id.length] = SEPARATOR;
        return prefix;
    }

    /** {@code <message id>#<index as 4 big-endian bytes>}: a message's recipients sort together, in order. */
    private static byte[] recipientKey(String messageId, int index) {
        var prefix = prefix(messageId);
        return ByteBuffer.allocate(prefix.length + Integer.BYTES).put(prefix).putInt(index).array();
    }

    /** The key is {@code prefix} and an index: not a longer id that merely starts the same. */
    private static boolean isRecipientOf(byte[] key, byte[] prefix) {
        return key.length == prefix.length + Integer.BYTES && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] encodeEnvelope(SpooledMessage message) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(ENVELOPE_VERSION);
            out.writeUTF(message.tenantId());
            out.writeUTF(message.domainId());
            out.writeUTF(message.returnPathDomain());
            out.writeLong(message.acceptedAt().toEpochMilli());
            out.writeLong(message.notBefore() == null ? -1 : message.notBefore().toEpochMilli());
            out.writeByte(message.priority());
            out.writeInt(message.notes().length);
            out.write(message.notes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A message's envelope as stored: everything of the message but its recipients and body. */
    private record Envelope(String tenantId, String domainId, String returnPathDomain, Instant acceptedAt, Instant notBefore,
            int priority, byte[] notes) {}

    /** The envelope, or null (logged) when it cannot be read: one damaged message must not stop the queue behind it. */
    private Envelope readableEnvelope(String messageId) throws RocksDBException {
        try {
            return envelope(messageId);
        } catch (UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(Spool.class).error("message {} in the spool cannot be read; it is not delivered", messageId, e);
            return null;
        }
    }

    private Envelope envelope(String messageId) throws RocksDBException {
        var bytes = db.get(envelopes, key(messageId));
        return bytes == null ? null : decodeEnvelope(messageId, bytes);
    }

    /** Version 1 (before priorities) reads as priority 0. */
    private static Envelope decodeEnvelope(String id, byte[] envelope) {
        try (var in = new DataInputStream(new ByteArrayInputStream(envelope))) {
            int version = in.readByte();
            if (version != 1 && version != ENVELOPE_VERSION) {
                throw new IOException("unknown envelope version " + version);
            }
            var tenant = in.readUTF();
            var domain = in.readUTF();
            var returnPathDomain = in.readUTF();
            var acceptedAt = Instant.ofEpochMilli(in.readLong());
            long notBefore = in.readLong();
            int priority = version == 1 ? 0 : in.readByte();
            var notes = in.readNBytes(in.readInt());
            return new Envelope(tenant, domain, returnPathDomain, acceptedAt, notBefore < 0 ? null : Instant.ofEpochMilli(notBefore),
                    priority, notes);
        } catch (IOException e) {
            throw new UncheckedIOException("spooled envelope of " + id + " is damaged", e);
        }
    }

    @Override
    public void close() {
        committer.close();
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
        familyOptions.close();
    }
}
