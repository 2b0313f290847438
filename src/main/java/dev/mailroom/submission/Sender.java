package dev.mailroom.submission;

import java.util.Set;

/**
 * Who hands Mailroom a message: the tenant of the API key or SMTP credential (null for an agency
 * key, which may send for the tenant owning the From domain), and the domains it is limited
 * to (null: all of the tenant's). {@code source} is {@code api} or {@code smtp}.
 */
public record Sender(String tenantId, Set<String> domainIds, String source) {
    public Sender {
        domainIds = domainIds == null ? null : Set.copyOf(domainIds);
    }
}
