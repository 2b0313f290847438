package dev.mailroom.tenancy;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DnsSetup;
import java.time.Instant;
import java.util.List;

/** A domain as the API shows it (and the export's domains.json), with the records it needs. */
public record DomainView(
        String id,
        String tenantId,
        String name,
        Stream stream,
        DnsSetup setup,
        DomainStatus status,
        String pool,
        List<DnsRecord> records,
        List<DomainWarning> warnings,
        Instant lastCheckedAt,
        Instant createdAt,
        Instant updatedAt) {

    public static DomainView of(DomainDetails details) {
        var d = details.domain();
        return new DomainView(d.id(), d.tenantId(), d.name(), d.stream(), d.setup(), d.status(), d.pool(), details.records(),
                details.warnings(), details.lastCheckedAt(), d.createdAt(), d.updatedAt());
    }
}
