-- Warm-up: daily caps on new sending domains (day 1 = the UTC day of domains.verified_at) and
-- new source addresses (day 1 = the UTC day of pool_addresses.created_at).

-- A domain's own warm-up settings; without a row the defaults of its stream apply.
-- schedule null: the stream's default schedule; target_daily_volume null: warmup.target_daily_volume.
CREATE TABLE domain_warmups (
    domain_id           VARCHAR(40)  PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
    tenant_id           VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    schedule            VARCHAR(2000),
    target_daily_volume BIGINT,
    enabled             BOOLEAN      NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What each node reserved of a subject's cap on one UTC day (days since 1970-01-01). Nodes take
-- capacity in small blocks with a conditional update, so the sum never passes the cap.
-- subject: domain:<id> or ip:<address>; tenant_id is null for addresses (they are the agency's).
CREATE TABLE warmup_ledger (
    subject   VARCHAR(100) NOT NULL,
    epoch_day INTEGER      NOT NULL,
    tenant_id VARCHAR(40),
    used      BIGINT       NOT NULL,
    PRIMARY KEY (subject, epoch_day)
);
CREATE INDEX warmup_ledger_tenant ON warmup_ledger (tenant_id, epoch_day);
