-- DKIM key rotation: each algorithm has two selector slots (1 and 2). A key is ACTIVE (signing),
-- PUBLISHING (published in the other slot, waiting to be visible before signing switches to it)
-- or RETIRING (no longer signing, still published until retire_at). Retired keys are deleted.
ALTER TABLE dkim_keys ADD COLUMN slot INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE dkim_keys ADD COLUMN state VARCHAR(20) DEFAULT 'ACTIVE' NOT NULL;
ALTER TABLE dkim_keys ADD COLUMN retire_at TIMESTAMP WITH TIME ZONE;
