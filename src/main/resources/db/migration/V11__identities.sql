-- Sender identities: single addresses a tenant may send from without a domain of its own,
-- once someone at the address followed the confirmation link. The link's token is stored as
-- SHA-256, like API keys; it stays after confirmation (a second click shows "confirmed")
-- until it expires. Addresses are stored lower-case, so one address is one row per tenant.
CREATE TABLE identities (
    id               VARCHAR(40)  PRIMARY KEY,
    tenant_id        VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    email            VARCHAR(320) NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    token_hash       VARCHAR(64)  NOT NULL UNIQUE,
    token_expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    verified_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT identities_tenant_email UNIQUE (tenant_id, email)
);
CREATE INDEX identities_tenant ON identities (tenant_id, id);
CREATE INDEX identities_email ON identities (email);
