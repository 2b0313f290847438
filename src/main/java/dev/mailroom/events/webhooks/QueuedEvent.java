package dev.mailroom.events.webhooks;

import java.time.Instant;

/** An event waiting for (or done with) delivery to one endpoint: a row of the webhook queue. */
record QueuedEvent(String id, String webhookId, String eventId, String eventType, Instant queuedAt) {}
