package dev.mailroom.tenancy;

import java.time.Instant;
import java.util.List;

/**
 * How an application submits over SMTP for a tenant: a username with a password (AUTH), or
 * a list of networks whose hosts may submit without AUTH. Either way only from the tenant's
 * verified domains, narrowed to {@code domainIds} when given.
 */
public record SmtpCredential(String id, String tenantId, String username, List<String> networks, List<String> domainIds, Instant createdAt) {
    public SmtpCredential {
        networks = networks == null ? null : List.copyOf(networks);
        domainIds = domainIds == null ? null : List.copyOf(domainIds);
    }
}
