package dev.mailroom.tenancy;

import dev.mailroom.dns.DnsSetup;
import java.time.Instant;

/**
 * A sending domain of a tenant, for one stream. {@code token} names the domain inside
 * Mailroom's own zone (DKIM CNAME targets, DMARC report address) without revealing it.
 * {@code pool} is the id of an IP pool of the domain's own; null: its mail leaves from the tenant's.
 */
public record Domain(
        String id,
        String tenantId,
        String name,
        Stream stream,
        DnsSetup setup,
        DomainStatus status,
        String token,
        String pool,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * Whether mail from this domain may be signed and sent now: only once its DNS verified.
     * A pending or failing domain's mail is held, never sent unsigned or misaligned.
     */
    public boolean sendable() {
        return status == DomainStatus.VERIFIED;
    }
}
