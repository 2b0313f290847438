package dev.mailroom.feedback.dmarc;

import java.util.List;

/** A DMARC aggregate report (RFC 7489 appendix C) as read from its XML, checked and with alignment worked out. */
public record AggregateReport(ReportMetadata metadata, PolicyPublished policy, List<ReportRecord> records) {
    public AggregateReport {
        records = List.copyOf(records);
    }

    /** Messages the report counts, over all its records. */
    public long messageCount() {
        return records.stream().mapToLong(ReportRecord::count).sum();
    }
}
