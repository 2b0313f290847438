package dev.mailroom.submission;

import java.util.List;

/** The answer to a submission: the message id and, per recipient, {@code queued} or {@code suppressed} (with why). */
public record Receipt(String id, List<Outcome> recipients) {
    public record Outcome(String email, String status, String reason) {}
}
