package dev.mailroom.events;

import java.time.Instant;
import java.util.Map;

/** Something that happened to a tenant's mail or set-up, with SPEC.md's type name (e.g. {@code domain.verified}). */
public record Event(String id, String tenantId, String type, String subjectId, Map<String, Object> data, Instant createdAt) {}
