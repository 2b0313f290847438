-- Accepted messages as the API shows them. The spool holds the message itself; these rows are
-- written after it is durable (and rebuilt from the spool after a crash), so GET /v1/messages
-- and the event log never name a message that was not accepted. links: the original URLs of
-- tracked links, by link index, for the click endpoint.
CREATE TABLE messages (
    id           VARCHAR(40)   PRIMARY KEY,
    tenant_id    VARCHAR(40)   NOT NULL REFERENCES tenants (id),
    domain_id    VARCHAR(40)   NOT NULL,
    from_address VARCHAR(320)  NOT NULL,
    subject      VARCHAR(2000),
    source       VARCHAR(10)   NOT NULL,
    send_at      TIMESTAMP WITH TIME ZONE,
    tags         VARCHAR(4000) NOT NULL,
    metadata     VARCHAR(100000) NOT NULL,
    links        VARCHAR(1000000) NOT NULL,
    size_bytes   INTEGER       NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX messages_tenant ON messages (tenant_id, id);
CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at);

-- position: the recipient's place in to, cc, bcc order; spool_index: its index in the spool
-- (null when it was suppressed and never spooled).
CREATE TABLE message_recipients (
    message_id    VARCHAR(40)  NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position      INTEGER      NOT NULL,
    spool_index   INTEGER,
    email         VARCHAR(320) NOT NULL,
    status        VARCHAR(20)  NOT NULL,
    reason        VARCHAR(1000),
    attempts      INTEGER      NOT NULL,
    last_response VARCHAR(2000),
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (message_id, position)
);

-- A tenant's suppression list. domain_scope is a domain id, or '' for every domain of the
-- tenant (not NULL, so that the unique constraint holds on H2 and PostgreSQL alike).
CREATE TABLE suppressions (
    id           VARCHAR(40)  PRIMARY KEY,
    tenant_id    VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    domain_scope VARCHAR(40)  NOT NULL,
    email        VARCHAR(320) NOT NULL,
    reason       VARCHAR(20)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT suppressions_entry UNIQUE (tenant_id, email, domain_scope)
);
CREATE INDEX suppressions_tenant ON suppressions (tenant_id, id);

-- Idempotency-Key answers, per API key, kept 24 hours. status_code is null while the first
-- request with the key is still running.
CREATE TABLE idempotency_keys (
    api_key_id      VARCHAR(40)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    VARCHAR(64)  NOT NULL,
    status_code     INTEGER,
    response        VARCHAR(10000000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Sending caps per tenant (recipients per UTC hour and day); null = the configured default.
ALTER TABLE tenants ADD COLUMN hourly_cap INTEGER;
ALTER TABLE tenants ADD COLUMN daily_cap INTEGER;

-- Message events carry a message's tags and metadata.
ALTER TABLE events ALTER COLUMN data SET DATA TYPE VARCHAR(1000000);
