-- Webhook endpoints and the delivery of events to them (docs/webhooks.md).

-- An endpoint is a tenant's (tenant_id) or the agency's (tenant_id NULL: every tenant's events).
-- event_types: comma-joined event type names, '' for every type. secret is sealed with
-- AES-256-GCM under the master key, never stored in clear. failing_since: when the first of the
-- failed attempts since the last success was made (NULL: the last attempt succeeded, or none failed).
CREATE TABLE webhooks (
    id            VARCHAR(40)   PRIMARY KEY,
    tenant_id     VARCHAR(40)   REFERENCES tenants (id),
    url           VARCHAR(2000) NOT NULL,
    event_types   VARCHAR(4000) NOT NULL,
    secret        VARCHAR(200)  NOT NULL,
    status        VARCHAR(20)   NOT NULL,
    failing_since TIMESTAMP WITH TIME ZONE,
    disabled_at   TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, id);

-- One row per event an endpoint is to receive, made when the event log is read: PENDING until
-- it is DELIVERED or the retry schedule gives up (FAILED). The unique pair is what makes reading
-- the log again (after a restart, or to catch late commits) harmless. next_attempt_at is NULL
-- unless PENDING; while an attempt is under way it is pushed ahead by a lease, so another node
-- does not take the row, and a node that dies mid-attempt leaves it due again after the lease.
CREATE TABLE webhook_queue (
    id              VARCHAR(40) PRIMARY KEY,
    webhook_id      VARCHAR(40) NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        VARCHAR(40) NOT NULL,
    event_type      VARCHAR(60) NOT NULL,
    state           VARCHAR(20) NOT NULL,
    attempts        INTEGER     NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_queue_event UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_queue_due ON webhook_queue (webhook_id, next_attempt_at);
CREATE INDEX webhook_queue_created ON webhook_queue (created_at);

-- Every attempt to deliver a queued event (the API's "deliveries"): status_code when the
-- endpoint answered, error when it did not (or was refused before sending).
CREATE TABLE webhook_deliveries (
    id           VARCHAR(40)   PRIMARY KEY,
    queue_id     VARCHAR(40)   NOT NULL REFERENCES webhook_queue (id) ON DELETE CASCADE,
    webhook_id   VARCHAR(40)   NOT NULL,
    event_id     VARCHAR(40)   NOT NULL,
    event_type   VARCHAR(60)   NOT NULL,
    attempt      INTEGER       NOT NULL,
    status_code  INTEGER,
    error        VARCHAR(1000),
    duration_ms  INTEGER       NOT NULL,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (queue_id);

-- How far the event log has been read for webhooks: every event with an id up to event_id is
-- in webhook_queue for each endpoint that wanted it. One row; written at the first start.
CREATE TABLE webhook_log_position (
    id       INTEGER     PRIMARY KEY,
    event_id VARCHAR(40) NOT NULL
);
