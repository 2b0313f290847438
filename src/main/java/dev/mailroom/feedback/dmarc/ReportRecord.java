package dev.mailroom.feedback.dmarc;

import java.util.List;

/**
 * One row of a report: {@code count} messages from {@code sourceIp} that fared alike.
 * {@code dkim} and {@code spf} are the receiver's policy_evaluated results (DMARC-aligned
 * pass or fail), null when it left them out; {@code dkimAligned} and {@code spfAligned} are
 * what Mailroom counts (see {@link RecordAlignment}). Domains are in lower case.
 */
public record ReportRecord(
        String sourceIp,
        long count,
        Disposition disposition,
        String dkim,
        String spf,
        List<PolicyOverride> reasons,
        String headerFrom,
        String envelopeFrom,
        String envelopeTo,
        List<DkimResult> dkimResults,
        List<SpfResult> spfResults,
        boolean dkimAligned,
        boolean spfAligned) {

    public ReportRecord {
        reasons = List.copyOf(reasons);
        dkimResults = List.copyOf(dkimResults);
        spfResults = List.copyOf(spfResults);
    }

    /** DMARC passes when either identifier passes aligned (RFC 7489 section 4.2). */
    public boolean dmarcPass() {
        return dkimAligned || spfAligned;
    }

    /** Why the receiver applied a policy other than the published one (forwarded, sampled_out, local_policy...). */
    public record PolicyOverride(String type, String comment) {}

    /** A DKIM signature's verification result, as the receiver reports it (not interpreted for DMARC). */
    public record DkimResult(String domain, String selector, String result, String humanResult) {}

    /** An SPF check's result, as the receiver reports it; {@code scope} is mfrom or helo, null when left out. */
    public record SpfResult(String domain, String scope, String result) {}
}
