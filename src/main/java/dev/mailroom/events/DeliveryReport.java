package dev.mailroom.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one delivery attempt of one recipient came to, as the message index and the event log
 * record it. {@code attempts} counts every attempt so far, this one included: it only grows, so a
 * report written twice (a replay after a crash) is recognised and changes nothing the second time.
 *
 * @param status DELIVERED, DEFERRED, BOUNCED (hard) or FAILED (soft failures until the retry schedule gave up)
 * @param response the remote server's reply, or what went wrong locally ("connection refused")
 * @param mxHost the host that answered (null: none did)
 * @param category the bounce category of a failure (null when delivered)
 * @param nextAttemptAt when a deferred recipient is tried again
 */
public record DeliveryReport(String tenantId, String domainId, String messageId, int spoolIndex, String email, RecipientStatus status,
        int attempts, String response, String mxHost, String sourceAddress, String category, Instant nextAttemptAt, Instant at) {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public DeliveryReport {
        if (status != RecipientStatus.DELIVERED && status != RecipientStatus.DEFERRED && status != RecipientStatus.BOUNCED
                && status != RecipientStatus.FAILED) {
            throw new IllegalArgumentException(status + " is not the outcome of a delivery attempt");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a report follows at least one attempt");
        }
    }

    /** Names this report among all others: a recipient's reports differ in their attempt. */
    public String id() {
        return messageId + "/" + spoolIndex + "/" + attempts;
    }

    public String eventType() {
        return switch (status) {
            case DELIVERED -> "message.delivered";
            case DEFERRED -> "message.deferred";
            case BOUNCED -> "message.bounced";
            default -> "message.failed";
        };
    }

    /** The event's data, in the names of the API. */
    Map<String, Object> eventData() {
        var data = new LinkedHashMap<String, Object>();
        data.put("message_id", messageId);
        data.put("email", email);
        data.put("domain_id", domainId);
        data.put("attempts", attempts);
        data.put("response", response);
        data.put("mx_host", mxHost);
        data.put("source_ip", sourceAddress);
        data.put("attempted_at", at.toString());
        if (status == RecipientStatus.BOUNCED) {
            data.put("bounce_type", "hard");
        }
        if (category != null) {
            data.put("category", category);
        }
        if (nextAttemptAt != null) {
            data.put("next_attempt_at", nextAttemptAt.toString());
        }
        return data;
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DeliveryReport decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, DeliveryReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored delivery report is damaged", e);
        }
    }
}
