package dev.mailroom.tenancy;

import dev.mailroom.dns.DnsRecord;
import java.time.Instant;
import java.util.List;

/**
 * A domain with the DNS records it needs (each as its last check found it; {@code lastCheckedAt}
 * is null until the first check) and the advice on it.
 */
public record DomainDetails(Domain domain, List<DnsRecord> records, List<DomainWarning> warnings, Instant lastCheckedAt) {}
