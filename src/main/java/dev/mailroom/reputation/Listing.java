package dev.mailroom.reputation;

import java.time.Instant;

/**
 * A pool IP or a domain name that a DNS blocklist lists now. {@code subject} is the address or
 * the name asked (a sending domain, or its organisational domain, which domain lists list);
 * {@code code} the list's return codes; {@code reason} its TXT record, null when it gave none.
 */
public record Listing(Kind kind, String subject, String zone, String code, String reason, Instant listedSince, Instant lastChecked) {
    public enum Kind {
        IP, DOMAIN
    }
}
