-- Dashboard users and their sessions. A client viewer belongs to one tenant (tenant_id); agency
-- users have none. Passwords are Argon2id in the PHC string format.
CREATE TABLE users (
    id            VARCHAR(40)  PRIMARY KEY,
    email         VARCHAR(320) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(20)  NOT NULL,
    tenant_id     VARCHAR(40)  REFERENCES tenants (id),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX users_tenant ON users (tenant_id, id);

-- id is the SHA-256 of the cookie's random token: a leaked table does not give live sessions.
CREATE TABLE sessions (
    id           VARCHAR(64) PRIMARY KEY,
    user_id      VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   VARCHAR(64) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
