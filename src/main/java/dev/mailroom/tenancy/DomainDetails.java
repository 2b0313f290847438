package dev.mailroom.tenancy;

import dev.mailroom.dns.DnsRecord;
import java.util.List;

/** A domain with the DNS records it needs and the advice on it. */
public record DomainDetails(Domain domain, List<DnsRecord> records, List<DomainWarning> warnings) {}
