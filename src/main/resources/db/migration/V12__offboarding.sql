-- Offboarding: a departed tenant leaves its pool (once its queue is finished), and its
-- configuration stays archived, restorable, until archived_until; then it is purged.
ALTER TABLE tenants ALTER COLUMN pool_id DROP NOT NULL;

-- One row per offboarded tenant while it is archived. queue: FINISH (delivery finishes what was
-- queued, the pool is released when nothing is left) or CANCEL (everything queued was cancelled).
CREATE TABLE tenant_archives (
    tenant_id        VARCHAR(40) PRIMARY KEY REFERENCES tenants (id),
    queue            VARCHAR(10) NOT NULL,
    offboarded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    archived_until   TIMESTAMP WITH TIME ZONE NOT NULL,
    pool_released_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX tenant_archives_until ON tenant_archives (archived_until);
