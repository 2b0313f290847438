package dev.mailroom.events.webhooks;

/** An endpoint with its secret opened: what an attempt needs to sign and send. */
record Target(Webhook webhook, String secret) {}
