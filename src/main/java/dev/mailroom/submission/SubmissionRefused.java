package dev.mailroom.submission;

import java.time.Instant;

/**
 * A message Mailroom will not accept, and why. The front ends turn the {@link Kind} into their
 * own answer (HTTP status, SMTP reply with enhanced status code); nothing was spooled.
 */
public final class SubmissionRefused extends RuntimeException {
    public enum Kind {
        /** The From domain is not one this sender may use (HTTP 422, SMTP 550 5.7.1). */
        SENDER_NOT_ALLOWED,
        /** The From domain's DNS is not verified, or fails now (HTTP 422, SMTP 550 5.7.1). */
        DOMAIN_NOT_VERIFIED,
        /** The From address is a sender identity whose confirmation link was not followed yet (HTTP 422, SMTP 550 5.7.1). */
        IDENTITY_NOT_CONFIRMED,
        /** The tenant is paused or offboarded (HTTP 403, SMTP 550 5.7.1). */
        TENANT_NOT_SENDING,
        /** An hourly or daily cap is reached; {@link #retryAt} says when it frees (HTTP 429, SMTP 452 4.7.0). */
        CAP_REACHED,
        /** The composed message passes sending.max_message_bytes (HTTP 413, SMTP 552 5.3.4). */
        TOO_LARGE,
        /** The message itself is malformed (HTTP 422, SMTP 550 5.6.0). */
        MALFORMED,
        /** Mailroom cannot take more for a moment (HTTP 503 with Retry-After, SMTP 451 4.3.2). */
        BUSY
    }

    private final Kind kind;
    private final String field;
    private final Instant retryAt;

    public SubmissionRefused(Kind kind, String field, String message) {
        this(kind, field, message, null);
    }

    public SubmissionRefused(Kind kind, String field, String message, Instant retryAt) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault (for the API), or null. */
    public String field() {
        return field;
    }

    public Instant retryAt() {
        return retryAt;
    }

    /** The same refusal, about a field inside a batch ({@code messages[3].from}). */
    public SubmissionRefused within(String prefix) {
        return new SubmissionRefused(kind, field == null ? null : prefix + field, getMessage(), retryAt);
    }
}
