package dev.mailroom.feedback.dmarc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.feedback.dmarc.ReportRecord.DkimResult;
import dev.mailroom.feedback.dmarc.ReportRecord.PolicyOverride;
import dev.mailroom.feedback.dmarc.ReportRecord.SpfResult;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The report tables: a report's header row and its records, written together. */
final class ReportStore {
    private static final ObjectMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private static final String COLUMNS = "id, tenant_id, domain_name, org_name, email, extra_contact_info, report_id, begin_at, end_at, "
            + "errors, policy_domain, policy_adkim, policy_aspf, policy_p, policy_sp, policy_pct, policy_fo, message_count, created_at";
    private final Jdbi jdbi;

    ReportStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The raw results of a record as one JSON document. */
    private record AuthResults(List<DkimResult> dkim, List<SpfResult> spf) {}

    /** The id under which a tenant's name holds the reporter's report, if it does. */
    Optional<String> idOf(String tenantId, String domainName, ReportMetadata metadata) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM dmarc_reports WHERE tenant_id = :tenant AND domain_name = :name "
                        + "AND org_name = :org AND report_id = :report")
                .bind("tenant", tenantId).bind("name", domainName).bind("org", metadata.orgName()).bind("report", metadata.reportId())
                .mapTo(String.class).findOne());
    }

    /**
     * Stores a report with its records, all or nothing. False, with nothing stored, when the
     * same report was stored meanwhile (the unique constraint decides between two at once).
     */
    boolean insert(String id, String tenantId, String domainName, AggregateReport report, Instant receivedAt) {
        var metadata = report.metadata();
        var policy = report.policy();
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO dmarc_reports (" + COLUMNS + ") VALUES (:id, :tenant, :name, :org, :email, :extra, :report, "
                                + ":begin, :end, :errors, :domain, :adkim, :aspf, :p, :sp, :pct, :fo, :messages, :created)")
                        .bind("id", id).bind("tenant", tenantId).bind("name", domainName)
                        .bind("org", metadata.orgName()).bind("email", metadata.email()).bind("extra", metadata.extraContactInfo())
                        .bind("report", metadata.reportId()).bind("begin", Rows.timestamp(metadata.begin())).bind("end", Rows.timestamp(metadata.end()))
                        .bind("errors", json(metadata.errors())).bind("domain", policy.domain())
                        .bind("adkim", policy.adkim().name()).bind("aspf", policy.aspf().name())
                        .bind("p", policy.p().name()).bind("sp", policy.sp().name()).bind("pct", policy.pct()).bind("fo", policy.fo())
                        .bind("messages", report.messageCount()).bind("created", Rows.timestamp(receivedAt))
                        .execute();
                var batch = h.prepareBatch("INSERT INTO dmarc_report_records (report_id, position, source_ip, message_count, disposition, "
                        + "dkim_evaluated, spf_evaluated, dkim_aligned, spf_aligned, header_from, envelope_from, envelope_to, reasons, auth_results) "
                        + "VALUES (:report, :position, :ip, :count, :disposition, :dkim, :spf, :dkimAligned, :spfAligned, :headerFrom, "
                        + ":envelopeFrom, :envelopeTo, :reasons, :auth)");
                int position = 0;
                for (var record : report.records()) {
                    batch.bind("report", id).bind("position", position++).bind("ip", record.sourceIp()).bind("count", record.count())
                            .bind("disposition", record.disposition().name()).bind("dkim", record.dkim()).bind("spf", record.spf())
                            .bind("dkimAligned", record.dkimAligned()).bind("spfAligned", record.spfAligned())
                            .bind("headerFrom", record.headerFrom()).bind("envelopeFrom", record.envelopeFrom()).bind("envelopeTo", record.envelopeTo())
                            .bind("reasons", json(record.reasons())).bind("auth", json(new AuthResults(record.dkimResults(), record.spfResults())))
                            .add();
                }
                if (position > 0) {
                    batch.execute();
                }
            });
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.violated(e) && idOf(tenantId, domainName, metadata).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /** A page of reports, oldest first, of one tenant (or all: null) and one name (or all: null), ending at or after {@code since}. */
    Page<DmarcReport> list(String tenantId, String domainName, Instant since, String after, int limit) {
        var conditions = List.of(new PagedQuery.Equals("domain_name", domainName), new PagedQuery.AtLeast("end_at", Rows.timestamp(since)));
        var page = PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM dmarc_reports", "tenant_id", tenantId, conditions, after, limit,
                (rs, ctx) -> report(rs), DmarcReport::id);
        var sources = sources(page.data().stream().map(DmarcReport::id).toList());
        return page.map(report -> report.withSources(sources.getOrDefault(report.id(), List.of())));
    }

    Optional<DmarcReport> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM dmarc_reports WHERE id = :id").bind("id", id)
                        .map((rs, ctx) -> report(rs)).findOne())
                .map(report -> report.withSources(sources(List.of(id)).getOrDefault(id, List.of())));
    }

    List<ReportRecord> records(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT source_ip, message_count, disposition, dkim_evaluated, spf_evaluated, "
                        + "dkim_aligned, spf_aligned, header_from, envelope_from, envelope_to, reasons, auth_results "
                        + "FROM dmarc_report_records WHERE report_id = :id ORDER BY position")
                .bind("id", reportId)
                .map((rs, ctx) -> record(rs))
                .list());
    }

    /** Each report's totals by source address, most messages first. */
    private Map<String, List<SourceTotals>> sources(Collection<String> reportIds) {
        if (reportIds.isEmpty()) {
            return Map.of();
        }
        var rows = jdbi.withHandle(h -> h.createQuery("SELECT report_id, source_ip, SUM(message_count) AS messages, "
                        + "SUM(CASE WHEN dkim_aligned OR spf_aligned THEN message_count ELSE 0 END) AS dmarc_pass, "
                        + "SUM(CASE WHEN dkim_aligned THEN message_count ELSE 0 END) AS dkim_pass, "
                        + "SUM(CASE WHEN spf_aligned THEN message_count ELSE 0 END) AS spf_pass, "
                        + "SUM(CASE WHEN disposition = 'NONE' THEN message_count ELSE 0 END) AS disposition_none, "
                        + "SUM(CASE WHEN disposition = 'PASS' THEN message_count ELSE 0 END) AS disposition_pass, "
                        + "SUM(CASE WHEN disposition = 'QUARANTINE' THEN message_count ELSE 0 END) AS disposition_quarantine, "
                        + "SUM(CASE WHEN disposition = 'REJECT' THEN message_count ELSE 0 END) AS disposition_reject "
                        + "FROM dmarc_report_records WHERE report_id IN (<ids>) GROUP BY report_id, source_ip "
                        + "ORDER BY report_id, messages DESC, source_ip")
                .bindList("ids", List.copyOf(reportIds))
                .map((rs, ctx) -> {
                    long messages = rs.getLong("messages");
                    long pass = rs.getLong("dmarc_pass");
                    return Map.entry(rs.getString("report_id"), new SourceTotals(rs.getString("source_ip"), messages, pass, messages - pass,
                            rs.getLong("dkim_pass"), rs.getLong("spf_pass"), new SourceTotals.Dispositions(rs.getLong("disposition_none"),
                            rs.getLong("disposition_pass"), rs.getLong("disposition_quarantine"), rs.getLong("disposition_reject"))));
                })
                .list());
        var result = new HashMap<String, List<SourceTotals>>();
        rows.forEach(row -> result.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue()));
        return result;
    }

    private static DmarcReport report(ResultSet rs) throws SQLException {
        var pct = rs.getObject("policy_pct", Integer.class);
        var metadata = new ReportMetadata(rs.getString("org_name"), rs.getString("email"), rs.getString("extra_contact_info"),
                rs.getString("report_id"), Rows.instant(rs, "begin_at"), Rows.instant(rs, "end_at"),
                read(rs.getString("errors"), new TypeReference<List<String>>() {}));
        var policy = new PolicyPublished(rs.getString("policy_domain"), Alignment.Mode.valueOf(rs.getString("policy_adkim")),
                Alignment.Mode.valueOf(rs.getString("policy_aspf")), DmarcRecord.Policy.valueOf(rs.getString("policy_p")),
                DmarcRecord.Policy.valueOf(rs.getString("policy_sp")), pct, rs.getString("policy_fo"));
        return new DmarcReport(rs.getString("id"), rs.getString("tenant_id"), rs.getString("domain_name"), metadata, policy,
                rs.getLong("message_count"), List.of(), Rows.instant(rs, "created_at"));
    }

    private static ReportRecord record(ResultSet rs) throws SQLException {
        var auth = read(rs.getString("auth_results"), new TypeReference<AuthResults>() {});
        return new ReportRecord(rs.getString("source_ip"), rs.getLong("message_count"), Disposition.valueOf(rs.getString("disposition")),
                rs.getString("dkim_evaluated"), rs.getString("spf_evaluated"),
                read(rs.getString("reasons"), new TypeReference<List<PolicyOverride>>() {}), rs.getString("header_from"),
                rs.getString("envelope_from"), rs.getString("envelope_to"), auth.dkim(), auth.spf(),
                rs.getBoolean("dkim_aligned"), rs.getBoolean("spf_aligned"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("report data cannot be written as JSON", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report data is not JSON", e);
        }
    }
}
