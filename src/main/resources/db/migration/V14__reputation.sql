-- Alerts: what the reputation engine (and blocklist checks, webhooks) noticed, open until the
-- condition clears. open_key is subject_kind:subject_id:kind while the alert is open and NULL once
-- resolved, so one subject has at most one open alert of a kind (NULLs never clash).
CREATE TABLE alerts (
    id           VARCHAR(40)   PRIMARY KEY,
    tenant_id    VARCHAR(40),
    subject_kind VARCHAR(20)   NOT NULL,
    subject_id   VARCHAR(300)  NOT NULL,
    kind         VARCHAR(40)   NOT NULL,
    severity     VARCHAR(10)   NOT NULL,
    state        VARCHAR(10)   NOT NULL,
    message      VARCHAR(2000) NOT NULL,
    data         VARCHAR(20000) NOT NULL,
    raised_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at  TIMESTAMP WITH TIME ZONE,
    open_key     VARCHAR(400)  UNIQUE
);
CREATE INDEX alerts_tenant ON alerts (tenant_id, id);

-- Every automatic action on a tenant, with why; undone_at is set when an operator reverses it.
CREATE TABLE reputation_actions (
    id            VARCHAR(40)   PRIMARY KEY,
    tenant_id     VARCHAR(40)   NOT NULL REFERENCES tenants (id),
    action        VARCHAR(20)   NOT NULL,
    reason        VARCHAR(2000) NOT NULL,
    metrics       VARCHAR(4000) NOT NULL,
    previous_pool VARCHAR(40),
    taken_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    undone_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX reputation_actions_tenant ON reputation_actions (tenant_id, id);

-- Per-tenant reputation settings: threshold overrides (JSON); the time from which its rates count
-- again (set when an operator resumes it, so the mail that caused an action does not cause it
-- again); the rate it was throttled to.
CREATE TABLE reputation_settings (
    tenant_id      VARCHAR(40) PRIMARY KEY REFERENCES tenants (id),
    thresholds     VARCHAR(4000),
    counts_from    TIMESTAMP WITH TIME ZONE,
    throttled_rate VARCHAR(20)
);

-- The onboarding life cycle with dates: one row per state a tenant entered.
CREATE TABLE tenant_lifecycle (
    tenant_id  VARCHAR(40) NOT NULL REFERENCES tenants (id),
    state      VARCHAR(20) NOT NULL,
    entered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    note       VARCHAR(1000),
    PRIMARY KEY (tenant_id, entered_at, state)
);

-- Events about the agency's own things (a pool's rates, a listed IP) belong to no tenant:
-- only agency-wide webhooks and agency keys see them.
ALTER TABLE events ALTER COLUMN tenant_id DROP NOT NULL;
