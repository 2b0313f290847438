package dev.mailroom.events.webhooks;

import java.time.Instant;

/**
 * One attempt to deliver an event to an endpoint, as {@code GET /v1/webhooks/{id}/deliveries}
 * lists it. {@code attempt} counts this event's attempts to this endpoint, replays included;
 * {@code statusCode} is null when the endpoint did not answer, and {@code error} then says why.
 */
public record WebhookDelivery(String id, String webhookId, String eventId, String eventType, int attempt, Integer statusCode,
        String error, long durationMs, Instant attemptedAt) {}
