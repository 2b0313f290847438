-- Metric roll-ups of the event log (see docs/stats.md). One row per bucket and combination of
-- dimensions; an absent dimension is '' (not NULL) so that it can be part of the key.
-- granularity: minute (kept 48 h), hour (kept 400 days), day (kept for good).
CREATE TABLE stats_counts (
    granularity  VARCHAR(8)  NOT NULL,
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    tenant_id    VARCHAR(40) NOT NULL,
    domain_id    VARCHAR(40) NOT NULL,
    pool_id      VARCHAR(40) NOT NULL,
    source_ip    VARCHAR(45) NOT NULL,
    provider     VARCHAR(16) NOT NULL,
    metric       VARCHAR(16) NOT NULL,
    count        BIGINT      NOT NULL,
    PRIMARY KEY (granularity, bucket_start, tenant_id, domain_id, pool_id, source_ip, provider, metric)
);
-- a tenant's own figures (health, usage) without reading every tenant's buckets
CREATE INDEX stats_counts_tenant ON stats_counts (tenant_id, granularity, bucket_start);

-- How far the roll-up has folded the event log: every event up to this id is counted. One row;
-- nodes move it with a compare-and-set in the transaction that adds the counts, so each event
-- is counted once however many nodes fold. '' = the beginning of the log.
CREATE TABLE stats_cursor (
    id         INTEGER     NOT NULL PRIMARY KEY,
    position   VARCHAR(40) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO stats_cursor (id, position, updated_at) VALUES (1, '', CURRENT_TIMESTAMP);
