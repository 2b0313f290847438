-- IP pools: where a tenant's mail leaves from. A pool either lists source addresses, each with
-- the EHLO name of connections from it and a weight, or relays everything through a smarthost;
-- with neither, mail leaves from the machine's default address under the configured hostname.
-- smarthost_password is sealed with AES-256-GCM under the master key, never stored in clear.
CREATE TABLE pools (
    id                 VARCHAR(40)  PRIMARY KEY,
    name               VARCHAR(100) NOT NULL UNIQUE,
    tier               VARCHAR(20)  NOT NULL,
    smarthost_host     VARCHAR(253),
    smarthost_port     INTEGER,
    smarthost_tls      VARCHAR(20),
    smarthost_username VARCHAR(256),
    smarthost_password VARCHAR(2000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An address is the primary key: it belongs to one pool at most. Addresses are stored in their
-- canonical text (RFC 5952 for IPv6), so two spellings of one address cannot both get in.
CREATE TABLE pool_addresses (
    address    VARCHAR(45)  PRIMARY KEY,
    pool_id    VARCHAR(40)  NOT NULL REFERENCES pools (id),
    hostname   VARCHAR(253) NOT NULL,
    weight     INTEGER      NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX pool_addresses_pool ON pool_addresses (pool_id, created_at);

-- One pool per tier from the start, so a fresh installation sends (from the default address).
INSERT INTO pools (id, name, tier, created_at) VALUES ('pool_premium', 'premium', 'PREMIUM', CURRENT_TIMESTAMP);
INSERT INTO pools (id, name, tier, created_at) VALUES ('pool_standard', 'standard', 'STANDARD', CURRENT_TIMESTAMP);
INSERT INTO pools (id, name, tier, created_at) VALUES ('pool_starter', 'starter', 'STARTER', CURRENT_TIMESTAMP);
INSERT INTO pools (id, name, tier, created_at) VALUES ('pool_isolation', 'isolation', 'ISOLATION', CURRENT_TIMESTAMP);

-- Every tenant is in a pool; those made before pools existed start in starter, as new ones do.
UPDATE tenants SET pool_id = 'pool_starter' WHERE pool_id IS NULL;
ALTER TABLE tenants ALTER COLUMN pool_id SET NOT NULL;
ALTER TABLE tenants ADD CONSTRAINT tenants_pool FOREIGN KEY (pool_id) REFERENCES pools (id);

-- A domain may leave from a pool of its own (e.g. a client's transactional stream kept apart
-- from its marketing); null follows the tenant's pool.
ALTER TABLE domains ADD COLUMN pool_id VARCHAR(40);
ALTER TABLE domains ADD CONSTRAINT domains_pool FOREIGN KEY (pool_id) REFERENCES pools (id);
