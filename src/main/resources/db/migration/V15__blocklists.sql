-- What the DNSBL checks found listed now: one row per listed pool IP (subject_kind 'ip') or
-- domain name (subject_kind 'domain': a sending domain or its organisational domain) and list.
-- A row goes when a check finds the subject no longer listed; a failed check leaves it as it is.
CREATE TABLE blocklist_listings (
    subject_kind VARCHAR(10)   NOT NULL,
    subject      VARCHAR(300)  NOT NULL,
    zone         VARCHAR(255)  NOT NULL,
    code         VARCHAR(45)   NOT NULL,
    reason       VARCHAR(2000),
    listed_since TIMESTAMP WITH TIME ZONE NOT NULL,
    last_checked TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (subject_kind, subject, zone)
);
