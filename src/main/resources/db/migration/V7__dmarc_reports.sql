-- DMARC aggregate reports (RFC 7489 appendix C) that receivers sent to dmarc+<token>@<platform_domain>.
-- A report belongs to the tenant and the domain name its token stands for: a name, not a domain
-- id, because one name carries a domain per stream and the report counts the mail of all of them.
-- The reporter's organisation and report id name a report; it is stored once per tenant and name.
-- policy_*: the policy the receiver found, defaults filled in (pct and fo null when not given).
-- errors: the reporter's error texts, a JSON array.
CREATE TABLE dmarc_reports (
    id                 VARCHAR(40)   PRIMARY KEY,
    tenant_id          VARCHAR(40)   NOT NULL REFERENCES tenants (id),
    domain_name        VARCHAR(253)  NOT NULL,
    org_name           VARCHAR(255)  NOT NULL,
    email              VARCHAR(255),
    extra_contact_info VARCHAR(1000),
    report_id          VARCHAR(255)  NOT NULL,
    begin_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    end_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    errors             VARCHAR(10000000) NOT NULL,
    policy_domain      VARCHAR(255)  NOT NULL,
    policy_adkim       VARCHAR(10)   NOT NULL,
    policy_aspf        VARCHAR(10)   NOT NULL,
    policy_p           VARCHAR(20)   NOT NULL,
    policy_sp          VARCHAR(20)   NOT NULL,
    policy_pct         INTEGER,
    policy_fo          VARCHAR(255),
    message_count      BIGINT        NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dmarc_reports_once UNIQUE (tenant_id, domain_name, org_name, report_id)
);
CREATE INDEX dmarc_reports_domain ON dmarc_reports (tenant_id, domain_name, id);
CREATE INDEX dmarc_reports_tenant ON dmarc_reports (tenant_id, id);

-- The rows of a report, in its order. dkim_evaluated and spf_evaluated: the receiver's
-- policy_evaluated results, null when it left them out; dkim_aligned and spf_aligned: what
-- Mailroom counts (those results, or worked out from auth_results when missing).
-- reasons and auth_results: JSON, as the report gave them.
CREATE TABLE dmarc_report_records (
    report_id      VARCHAR(40)   NOT NULL REFERENCES dmarc_reports (id) ON DELETE CASCADE,
    position       INTEGER       NOT NULL,
    source_ip      VARCHAR(45)   NOT NULL,
    message_count  BIGINT        NOT NULL,
    disposition    VARCHAR(20)   NOT NULL,
    dkim_evaluated VARCHAR(255),
    spf_evaluated  VARCHAR(255),
    dkim_aligned   BOOLEAN       NOT NULL,
    spf_aligned    BOOLEAN       NOT NULL,
    header_from    VARCHAR(255),
    envelope_from  VARCHAR(255),
    envelope_to    VARCHAR(255),
    reasons        VARCHAR(10000000) NOT NULL,
    auth_results   VARCHAR(10000000) NOT NULL,
    PRIMARY KEY (report_id, position)
);
