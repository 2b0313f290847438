package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.feedback.dmarc.DmarcReport;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.feedback.dmarc.Disposition;
import dev.mailroom.feedback.dmarc.ReportRecord;
import dev.mailroom.feedback.dmarc.SourceTotals;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code /v1/dmarc-reports}: the aggregate reports receivers sent about the caller's domains.
 * Listing without {@code domain_id} needs a key that reaches whole tenants, as other lists do.
 */
final class DmarcReportRoutes {
    private final DmarcReports reports;

    DmarcReportRoutes(DmarcReports reports) {
        this.reports = reports;
    }

    /** A report as the API shows it; {@code records} only when one report is asked for. */
    record ReportView(
            String id,
            String tenantId,
            String domain,
            String orgName,
            String email,
            String extraContactInfo,
            String reportId,
            DateRange dateRange,
            List<String> errors,
            PolicyView policyPublished,
            long messageCount,
            List<SourceTotals> sources,
            Instant receivedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<RecordView> records) {

        static ReportView of(DmarcReport report, List<ReportRecord> records) {
            var metadata = report.metadata();
            var policy = report.policy();
            return new ReportView(report.id(), report.tenantId(), report.domain(), metadata.orgName(), metadata.email(),
                    metadata.extraContactInfo(), metadata.reportId(), new DateRange(metadata.begin(), metadata.end()), metadata.errors(),
                    new PolicyView(policy.domain(), letter(policy.adkim()), letter(policy.aspf()), policy.p(), policy.sp(), policy.pct(), policy.fo()),
                    report.messageCount(), report.sources(), report.receivedAt(),
                    records == null ? null : records.stream().map(RecordView::of).toList());
        }

        /** Alignment modes as DMARC records and reports spell them. */
        private static String letter(Alignment.Mode mode) {
            return mode == Alignment.Mode.STRICT ? "s" : "r";
        }
    }

    record DateRange(Instant begin, Instant end) {}

    record PolicyView(String domain, String adkim, String aspf, DmarcRecord.Policy p, DmarcRecord.Policy sp, Integer pct, String fo) {}

    /** A record: {@code dkim} and {@code spf} as the receiver evaluated them (null when it did not say), and what Mailroom counts. */
    record RecordView(String sourceIp, long count, Disposition disposition, String dkim, String spf, List<ReportRecord.PolicyOverride> reasons,
            boolean dkimAligned, boolean spfAligned, boolean dmarcPass, String headerFrom, String envelopeFrom, String envelopeTo,
            AuthResults authResults) {
        static RecordView of(ReportRecord record) {
            return new RecordView(record.sourceIp(), record.count(), record.disposition(), record.dkim(), record.spf(), record.reasons(),
                    record.dkimAligned(), record.spfAligned(), record.dmarcPass(), record.headerFrom(), record.envelopeFrom(), record.envelopeTo(),
                    new AuthResults(record.dkimResults(), record.spfResults()));
        }
    }

    record AuthResults(List<ReportRecord.DkimResult> dkim, List<ReportRecord.SpfResult> spf) {}

    void register(RouteTable routes) {
        routes.get("/v1/dmarc-reports", this::list);
        routes.get("/v1/dmarc-reports/{id}", this::get);
    }

    private void list(Context ctx) {
        var domainId = ctx.queryParam("domain_id");
        var key = domainId == null ? Callers.requireUnrestricted(ctx, Permission.READ) : Callers.require(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(reports.list(scope, domainId, since(ctx), paging.cursor(), paging.limit()).map(report -> ReportView.of(report, null)));
    }

    private void get(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        var detail = reports.get(key.scope(), ctx.pathParam("id"));
        ctx.json(ReportView.of(detail.report(), detail.records()));
    }

    private static Instant since(Context ctx) {
        var since = ctx.queryParam("since");
        if (since == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since must be an RFC 3339 time such as 2026-11-24T09:30:00Z, got '" + since + "'");
        }
    }
}
