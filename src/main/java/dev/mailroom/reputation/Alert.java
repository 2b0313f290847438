package dev.mailroom.reputation;

import java.time.Instant;
import java.util.Map;

/**
 * Something that needs a person's attention: a rate over its threshold, a listed IP, a failing
 * rule. {@code tenantId} is null for what is the agency's alone (a pool, an IP); such alerts are
 * never shown to a tenant. {@code subjectKind} is {@code tenant | domain | pool | ip | webhook}.
 */
public record Alert(String id, String tenantId, String subjectKind, String subjectId, String kind, Severity severity, State state,
        String message, Map<String, Object> data, Instant raisedAt, Instant updatedAt, Instant resolvedAt) {

    public enum Severity {
        WARNING, CRITICAL
    }

    public enum State {
        OPEN, RESOLVED
    }

    /** What an alert is about: at most one alert of a kind is open for a subject. */
    public record Subject(String tenantId, String kind, String id) {
        public static Subject tenant(String tenantId) {
            return new Subject(tenantId, "tenant", tenantId);
        }

        String openKey(String alertKind) {
            return kind + ":" + id + ":" + alertKind;
        }
    }
}
