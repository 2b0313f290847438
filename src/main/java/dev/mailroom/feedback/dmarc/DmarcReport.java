package dev.mailroom.feedback.dmarc;

import java.time.Instant;
import java.util.List;

/**
 * A stored report: the tenant and domain name it belongs to, its header, the policy it was
 * evaluated under, how many messages it counts, and those messages' totals by source address.
 */
public record DmarcReport(String id, String tenantId, String domain, ReportMetadata metadata, PolicyPublished policy, long messageCount,
        List<SourceTotals> sources, Instant receivedAt) {
    public DmarcReport {
        sources = List.copyOf(sources);
    }

    DmarcReport withSources(List<SourceTotals> totals) {
        return new DmarcReport(id, tenantId, domain, metadata, policy, messageCount, totals, receivedAt);
    }
}
