-- DNS verification state of sending domains, and the event log.

-- When a domain's records were last checked and are next due; when it first verified.
ALTER TABLE domains ADD COLUMN last_checked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE domains ADD COLUMN next_check_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE domains ADD COLUMN verified_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX domains_next_check ON domains (next_check_at);

-- The last known state of each record a domain needs. A lookup that failed leaves the row as it was.
CREATE TABLE domain_record_checks (
    domain_id  VARCHAR(40)  NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    name       VARCHAR(300) NOT NULL,
    type       VARCHAR(10)  NOT NULL,
    status     VARCHAR(20)  NOT NULL,
    detail     VARCHAR(2000) NOT NULL,
    checked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (domain_id, name, type)
);

-- What happened, per tenant, oldest first by id (the webhook and event API read this).
CREATE TABLE events (
    id         VARCHAR(40) PRIMARY KEY,
    tenant_id  VARCHAR(40) NOT NULL REFERENCES tenants (id),
    type       VARCHAR(60) NOT NULL,
    subject_id VARCHAR(40),
    data       VARCHAR(20000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX events_tenant ON events (tenant_id, id);
