package dev.mailroom.reputation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sending domain against the bulk-sender rules of Gmail, Yahoo and Microsoft (2024-2025).
 * {@code bulkSender}: more than 5,000 messages a day to one of them; {@code bulkProviders} names
 * which; {@code dailyVolumes} is each provider's last 24 hours.
 */
public record ComplianceReport(String domainId, String tenantId, String domain, String stream, boolean bulkSender, List<String> bulkProviders,
        Map<String, Long> dailyVolumes, List<Check> checks, Instant checkedAt) {

    public ComplianceReport {
        bulkProviders = List.copyOf(bulkProviders);
        dailyVolumes = Map.copyOf(dailyVolumes);
        checks = List.copyOf(checks);
    }

    public enum Status {
        PASS, WARN, FAIL, UNKNOWN
    }

    /** One rule: what was found ({@code detail}) and, unless it passes, what the client should do ({@code fix}). */
    public record Check(String rule, Status status, String detail, String fix) {}

    /** The rules that fail. */
    public List<Check> failing() {
        return checks.stream().filter(check -> check.status() == Status.FAIL).toList();
    }
}
