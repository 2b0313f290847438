package dev.mailroom.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Page;
import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The database's view of accepted messages and each recipient's state, written together with
 * the events that announce them ({@code message.queued}, {@code message.suppressed}), so that an
 * event exists exactly when its message row does.
 */
public final class MessageIndex {
    private static final String MESSAGE_COLUMNS = "id, tenant_id, domain_id, from_address, subject, send_at, tags, metadata, created_at";
    private static final String RECIPIENT_COLUMNS = "email, status, reason, attempts, last_response, updated_at";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbi jdbi;
    private final EventLog events;

    public MessageIndex(Jdbi jdbi, EventLog events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /** Writes the messages not written yet (a replay after a crash repeats some) in one transaction. */
    public void record(List<MessageRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var present = new HashSet<>(h.createQuery("SELECT id FROM messages WHERE id IN (<ids>)")
                    .bindList("ids", records.stream().map(MessageRecord::id).toList()).mapTo(String.class).list());
            var messages = h.prepareBatch("INSERT INTO messages (id, tenant_id, domain_id, from_address, subject, source, send_at, tags, "
                    + "metadata, links, size_bytes, created_at) VALUES (:id, :tenant, :domain, :from, :subject, :source, :sendAt, :tags, :metadata, "
                    + ":links, :size, :created)");
            var recipients = h.prepareBatch("INSERT INTO message_recipients (message_id, position, spool_index, email, status, reason, attempts, "
                    + "last_response, updated_at) VALUES (:message, :position, :spoolIndex, :email, :status, :reason, 0, NULL, :updated)");
            var announced = new ArrayList<EventLog.NewEvent>();
            var written = new HashSet<String>();
            for (var record : records) {
                if (present.contains(record.id()) || !written.add(record.id())) {
                    continue;
                }
                messages.bind("id", record.id()).bind("tenant", record.tenantId()).bind("domain", record.domainId())
                        .bind("from", record.from()).bind("subject", record.subject()).bind("source", record.source())
                        .bindByType("sendAt", Rows.timestamp(record.sendAt()), java.time.OffsetDateTime.class)
                        .bind("tags", json(record.tags())).bind("metadata", json(record.metadata())).bind("links", json(record.links()))
                        .bind("size", record.sizeBytes()).bind("created", Rows.timestamp(record.createdAt())).add();
                for (var recipient : record.recipients()) {
                    recipients.bind("message", record.id()).bind("position", recipient.position())
                            .bindByType("spoolIndex", recipient.spoolIndex(), Integer.class).bind("email", recipient.email())
                            .bind("status", recipient.status().name()).bind("reason", recipient.reason())
                            .bind("updated", Rows.timestamp(record.createdAt())).add();
                    announced.add(event(record, recipient));
                }
            }
            if (!written.isEmpty()) {
                messages.execute();
                recipients.execute();
                events.appendAll(h, announced);
            }
        });
    }

    /**
     * Records delivery reports: each recipient's status, attempts and last reply, and the event of
     * each report, in one transaction. A report older than what the row holds (fewer attempts), or
     * written before, changes nothing and announces nothing.
     */
    public void report(List<DeliveryReport> reports) {
        if (reports.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            // a bounce or complaint that came back (a DSN can beat the delivery report to the database) is not undone by "delivered"
            var update = h.prepareBatch("UPDATE message_recipients SET status = CASE WHEN :status = 'DELIVERED' AND status IN ('BOUNCED', 'COMPLAINED') "
                    + "THEN status ELSE :status END, attempts = :attempts, last_response = CASE WHEN :status = 'DELIVERED' AND status IN ('BOUNCED', "
                    + "'COMPLAINED') THEN last_response ELSE :response END, updated_at = :at "
                    + "WHERE message_id = :message AND spool_index = :index AND attempts < :attempts");
            for (var report : reports) {
                update.bind("status", report.status().name()).bind("attempts", report.attempts())
                        .bind("response", report.response() == null ? null : truncate(report.response(), 2000))
                        .bind("at", Rows.timestamp(report.at())).bind("message", report.messageId()).bind("index", report.spoolIndex())
                        .add();
            }
            int[] changed = update.execute();
            var announced = new ArrayList<EventLog.NewEvent>();
            for (int i = 0; i < reports.size(); i++) {
                var report = reports.get(i);
                if (changed[i] > 0) {
                    announced.add(new EventLog.NewEvent(report.tenantId(), report.eventType(), report.messageId(), report.eventData()));
                }
            }
            events.appendAll(h, announced);
        });
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** Who one recipient of a message is: its tenant, sending domain and address. */
    public record RecipientRef(String tenantId, String domainId, String email) {}

    /** The recipient a return path names (by its index in the spool), if the message is known. */
    public Optional<RecipientRef> recipient(String messageId, int spoolIndex) {
        return jdbi.withHandle(h -> h.createQuery("SELECT m.tenant_id, m.domain_id, r.email FROM messages m JOIN message_recipients r "
                        + "ON r.message_id = m.id WHERE m.id = :id AND r.spool_index = :index")
                .bind("id", messageId).bind("index", spoolIndex)
                .map((rs, ctx) -> new RecipientRef(rs.getString("tenant_id"), rs.getString("domain_id"), rs.getString("email")))
                .findFirst());
    }

    /**
     * Records what came back after delivery (a bounce, a complaint): the recipient's status and last
     * response, and the event, in one transaction; answers the event's id. The attempts stay as
     * delivery left them; a null status leaves the status too.
     */
    public String recordFeedback(String messageId, int spoolIndex, RecipientStatus status, String response, EventLog.NewEvent event, Instant at) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE message_recipients SET status = COALESCE(:status, status), last_response = :response, updated_at = :at "
                            + "WHERE message_id = :message AND spool_index = :index")
                    .bindByType("status", status == null ? null : status.name(), String.class).bind("response", response == null ? null : truncate(response, 2000))
                    .bind("at", Rows.timestamp(at)).bind("message", messageId).bind("index", spoolIndex).execute();
            // the event log keeps data as an immutable map: absent values are left out rather than null
            var data = new java.util.LinkedHashMap<String, Object>();
            event.data().forEach((name, value) -> {
                if (value != null) {
                    data.put(name, value);
                }
            });
            return events.append(h, event.tenantId(), event.type(), event.subjectId(), data).id();
        });
    }

    /** A message within the caller's reach (its tenant, and its domain for a domain-limited key). */
    public Optional<MessageView> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> message(rs))
                .findOne()
                .filter(message -> scope.coversDomain(message.tenantId(), message.domainId()))
                .map(message -> withRecipients(h, message)));
    }

    /** The recipients of a message with their positions and spool indexes (null: suppressed). */
    public List<MessageRecord.Recipient> recipientsOf(String messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT position, spool_index, email, status, reason FROM message_recipients "
                        + "WHERE message_id = :id ORDER BY position")
                .bind("id", messageId)
                .map((rs, ctx) -> new MessageRecord.Recipient(rs.getInt("position"), (Integer) rs.getObject("spool_index"), rs.getString("email"),
                        RecipientStatus.valueOf(rs.getString("status")), rs.getString("reason")))
                .list());
    }

    /** A message as the tracking endpoints see it, whoever's it is: the token that names it was checked first. */
    public Optional<TrackedMessage> tracked(String id) {
        return jdbi.withHandle(h -> {
            var recipients = h.createQuery("SELECT email, status, updated_at FROM message_recipients WHERE message_id = :id ORDER BY position")
                    .bind("id", id)
                    .map((rs, ctx) -> new TrackedMessage.Recipient(rs.getString("email"),
                            rs.getString("status").equals(RecipientStatus.DELIVERED.name()) ? Rows.instant(rs, "updated_at") : null))
                    .list();
            return h.createQuery("SELECT tenant_id, domain_id, links, created_at FROM messages WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> new TrackedMessage(id, rs.getString("tenant_id"), rs.getString("domain_id"), Rows.instant(rs, "created_at"),
                            recipients, fromJson(rs.getString("links"), new TypeReference<List<String>>() {})))
                    .findOne();
        });
    }

    /** Marks the given recipients cancelled, if still queued or deferred, and announces each one that changed; returns how many. */
    public int cancel(MessageView message, List<Integer> positions, Instant at) {
        return jdbi.inTransaction(h -> {
            var announced = new ArrayList<EventLog.NewEvent>();
            for (int position : positions) {
                int changed = h.createUpdate("UPDATE message_recipients SET status = 'CANCELLED', updated_at = :at "
                                + "WHERE message_id = :message AND position = :position AND status IN ('QUEUED', 'DEFERRED')")
                        .bind("at", Rows.timestamp(at)).bind("message", message.id()).bind("position", position).execute();
                if (changed == 1) {
                    announced.add(new EventLog.NewEvent(message.tenantId(), "message.cancelled", message.id(),
                            Map.of("message_id", message.id(), "email", message.recipients().get(position).email())));
                }
            }
            events.appendAll(h, announced);
            return announced.size();
        });
    }

    /** Ids of the tenant's messages after {@code after} (in id order) that have a recipient still queued or deferred. */
    public List<String> unfinished(String tenantId, String after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT m.id FROM messages m JOIN message_recipients r ON r.message_id = m.id "
                        + "WHERE m.tenant_id = :tenant AND m.id > :after AND r.status IN ('QUEUED', 'DEFERRED') ORDER BY m.id LIMIT :limit")
                .bind("tenant", tenantId).bind("after", after == null ? "" : after).bind("limit", limit)
                .mapTo(String.class).list());
    }

    /**
     * One page of a tenant's messages in id order, each with its recipients (for the export: what
     * {@link #find} shows of each, never a body).
     */
    public Page<MessageView> page(String tenantId, String after, int limit) {
        return jdbi.withHandle(h -> {
            var messages = h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE tenant_id = :tenant AND id > :after "
                            + "ORDER BY id LIMIT :limit")
                    .bind("tenant", tenantId).bind("after", after == null ? "" : after).bind("limit", limit + 1)
                    .map((rs, ctx) -> message(rs)).list();
            var page = Page.of(messages, limit, MessageView::id);
            if (page.data().isEmpty()) {
                return page;
            }
            var recipients = new HashMap<String, List<MessageView.RecipientView>>();
            h.createQuery("SELECT message_id, " + RECIPIENT_COLUMNS + " FROM message_recipients WHERE message_id IN (<ids>) "
                            + "ORDER BY message_id, position")
                    .bindList("ids", page.data().stream().map(MessageView::id).toList())
                    .map((rs, ctx) -> Map.entry(rs.getString("message_id"), recipient(rs)))
                    .forEach(entry -> recipients.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
            return page.map(message -> message.withRecipients(recipients.getOrDefault(message.id(), List.of())));
        });
    }

    /** How many recipients a tenant's accepted messages (suppressed ones aside) had since {@code since}. */
    public long recipientsSince(String tenantId, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM message_recipients r JOIN messages m ON r.message_id = m.id "
                        + "WHERE m.tenant_id = :tenant AND m.created_at >= :since AND r.spool_index IS NOT NULL")
                .bind("tenant", tenantId).bind("since", Rows.timestamp(since)).mapTo(Long.class).one());
    }

    private static MessageView withRecipients(Handle h, MessageView message) {
        var recipients = h.createQuery("SELECT " + RECIPIENT_COLUMNS + " FROM message_recipients WHERE message_id = :id ORDER BY position")
                .bind("id", message.id())
                .map((rs, ctx) -> recipient(rs))
                .list();
        return message.withRecipients(recipients);
    }

    private static MessageView message(ResultSet rs) throws SQLException {
        return new MessageView(rs.getString("id"), rs.getString("tenant_id"), rs.getString("domain_id"),
                rs.getString("from_address"), rs.getString("subject"), Rows.instant(rs, "send_at"),
                fromJson(rs.getString("tags"), new TypeReference<List<String>>() {}),
                fromJson(rs.getString("metadata"), new TypeReference<Map<String, String>>() {}),
                Rows.instant(rs, "created_at"), List.of());
    }

    private static MessageView.RecipientView recipient(ResultSet rs) throws SQLException {
        return new MessageView.RecipientView(rs.getString("email"), RecipientStatus.valueOf(rs.getString("status")),
                rs.getString("reason"), rs.getInt("attempts"), rs.getString("last_response"), Rows.instant(rs, "updated_at"));
    }

    private static EventLog.NewEvent event(MessageRecord record, MessageRecord.Recipient recipient) {
        var data = new HashMap<String, Object>();
        data.put("message_id", record.id());
        data.put("email", recipient.email());
        data.put("domain_id", record.domainId());
        data.put("tags", record.tags());
        data.put("metadata", record.metadata());
        var type = recipient.status() == RecipientStatus.SUPPRESSED ? "message.suppressed" : "message.queued";
        if (recipient.reason() != null) {
            data.put("reason", recipient.reason());
        }
        return new EventLog.NewEvent(record.tenantId(), type, record.id(), data);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message data is not JSON", e);
        }
    }
}
