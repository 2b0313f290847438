-- Soft bounces by address, per tenant: enough of them within a window suppress the address
-- (suppression.soft_bounce_limit / soft_bounce_window). Rows older than the window are removed.
CREATE TABLE soft_bounces (
    tenant_id  VARCHAR(40)  NOT NULL REFERENCES tenants (id),
    email      VARCHAR(320) NOT NULL,
    message_id VARCHAR(40)  NOT NULL,
    bounced_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX soft_bounces_address ON soft_bounces (tenant_id, email, bounced_at);
