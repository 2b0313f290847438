package dev.mailroom.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Csv;
import dev.mailroom.tenancy.ExportPart;
import java.util.Locale;

/** The files of a tenant's export that come from the message index and the event log, read a page at a time. */
public final class ExportParts {
    /** Message metadata is a map of strings: plain JSON, no API conventions needed. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private ExportParts() {}

    /** {@code messages.jsonl}: each message as GET /v1/messages/{id} shows it, one a line. */
    public static ExportPart messagesJson(MessageIndex index, ObjectMapper json) {
        return ExportPart.text("messages.jsonl", "every message as GET /v1/messages/{id} shows it (metadata and each recipient's state, "
                + "never the body), one JSON object a line, oldest first",
                (tenantId, print) -> Page.forEach((after, limit) -> index.page(tenantId, after, limit),
                        message -> print.accept(json(json, message) + "\n")));
    }

    /** {@code messages.csv}: the same as a table, one line per recipient. */
    public static ExportPart messagesCsv(MessageIndex index) {
        return ExportPart.text("messages.csv", "the same as CSV, one line per recipient: message_id,domain_id,from,subject,created_at,"
                + "tags (separated by ;),metadata (JSON),email,status,attempts,last_response,updated_at",
                (tenantId, print) -> {
                    print.accept(Csv.line("message_id", "domain_id", "from", "subject", "created_at", "tags", "metadata", "email", "status",
                            "attempts", "last_response", "updated_at"));
                    Page.forEach((after, limit) -> index.page(tenantId, after, limit), message -> {
                        var metadata = json(PLAIN, message.metadata());
                        for (var recipient : message.recipients()) {
                            print.accept(Csv.line(message.id(), message.domainId(), message.from(), message.subject(),
                                    message.createdAt().toString(), String.join(";", message.tags()), metadata, recipient.email(),
                                    recipient.status().name().toLowerCase(Locale.ROOT), Integer.toString(recipient.attempts()),
                                    recipient.lastResponse(), recipient.updatedAt().toString()));
                        }
                    });
                });
    }

    /** {@code events.jsonl}: every event of the tenant as GET /v1/events shows it, oldest first. */
    public static ExportPart events(EventLog events, ObjectMapper json) {
        return ExportPart.text("events.jsonl", "every event of the tenant as GET /v1/events shows it, one JSON object a line, oldest first",
                (tenantId, print) -> Page.forEach((after, limit) -> events.list(new EventLog.Filter(tenantId, null, null, null), after, limit),
                        event -> print.accept(json(json, event) + "\n")));
    }

    private static String json(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
