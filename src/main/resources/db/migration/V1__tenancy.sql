-- Tenants, their sending domains with DKIM keys, API keys and SMTP credentials.
-- Written once for H2 (MODE=PostgreSQL) and PostgreSQL alike: no vendor types.

CREATE TABLE tenants (
    id            VARCHAR(40)  PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    status        VARCHAR(20)  NOT NULL,
    status_reason VARCHAR(1000),
    lifecycle     VARCHAR(20)  NOT NULL,
    pool_id       VARCHAR(40),
    metadata      VARCHAR(200000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Who owns a DNS name. A name belongs to one tenant only; that tenant may use it for
-- more than one stream (each a row in domains), sharing the name's token.
CREATE TABLE domain_names (
    name       VARCHAR(253) PRIMARY KEY,
    tenant_id  VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    token      VARCHAR(40)  NOT NULL UNIQUE,
    CONSTRAINT domain_names_owner UNIQUE (name, tenant_id)
);

CREATE TABLE domains (
    id         VARCHAR(40)  PRIMARY KEY,
    tenant_id  VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    name       VARCHAR(253) NOT NULL,
    stream     VARCHAR(20)  NOT NULL,
    setup      VARCHAR(20)  NOT NULL,
    status     VARCHAR(20)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT domains_name_stream UNIQUE (name, stream),
    -- the claim must be this tenant's: a name released and claimed by another tenant
    -- meanwhile cannot receive this tenant's domain
    CONSTRAINT domains_claim FOREIGN KEY (name, tenant_id) REFERENCES domain_names (name, tenant_id)
);
CREATE INDEX domains_tenant ON domains (tenant_id, id);

-- Private keys are sealed with AES-256-GCM under the master key; never stored in clear.
CREATE TABLE dkim_keys (
    id           VARCHAR(40)  PRIMARY KEY,
    domain_id    VARCHAR(40)  NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    selector     VARCHAR(63)  NOT NULL,
    algorithm    VARCHAR(20)  NOT NULL,
    public_key   VARCHAR(1000) NOT NULL,
    sealed_private_key VARCHAR(4000) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dkim_keys_selector UNIQUE (domain_id, selector)
);

-- Secrets are stored as SHA-256 of high-entropy generated values; the clear value is shown once.
-- The bootstrap key's secret is admin_key in the configuration and is not stored at all.
-- domain_ids: NULL = every domain of the tenant; a list = only those.
CREATE TABLE api_keys (
    id          VARCHAR(40) PRIMARY KEY,
    tenant_id   VARCHAR(40) REFERENCES tenants (id),
    secret_hash VARCHAR(64) NOT NULL,
    permissions VARCHAR(100) NOT NULL,
    domain_ids  VARCHAR(10000),
    bootstrap   BOOLEAN NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

CREATE TABLE smtp_credentials (
    id            VARCHAR(40) PRIMARY KEY,
    tenant_id     VARCHAR(40) NOT NULL REFERENCES tenants (id),
    username      VARCHAR(100) UNIQUE,
    password_hash VARCHAR(64),
    networks      VARCHAR(10000),
    domain_ids    VARCHAR(10000),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX smtp_credentials_tenant ON smtp_credentials (tenant_id, id);

-- A value sealed under the master key at first start, to recognise a wrong key at the next.
CREATE TABLE master_key_check (
    id     INTEGER PRIMARY KEY,
    sealed VARCHAR(200) NOT NULL
);
