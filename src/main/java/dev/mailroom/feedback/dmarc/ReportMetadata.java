package dev.mailroom.feedback.dmarc;

import java.time.Instant;
import java.util.List;

/**
 * Who sent a report and the time it covers. {@code reportId} is the reporter's own id: with
 * {@code orgName} it names the report, so a report sent twice is stored once. {@code email},
 * required by the schema, is null when a reporter leaves it out.
 */
public record ReportMetadata(String orgName, String email, String extraContactInfo, String reportId, Instant begin, Instant end,
        List<String> errors) {
    public ReportMetadata {
        errors = List.copyOf(errors);
    }
}
