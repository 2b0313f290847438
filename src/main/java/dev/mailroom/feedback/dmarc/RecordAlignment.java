package dev.mailroom.feedback.dmarc;

import dev.mailroom.dns.Alignment;
import dev.mailroom.feedback.dmarc.ReportRecord.DkimResult;
import dev.mailroom.feedback.dmarc.ReportRecord.SpfResult;
import java.util.List;

/**
 * Whether a record's DKIM and SPF passed aligned with its From domain. The receiver's
 * policy_evaluated result decides when it gives one: it saw the messages, and may have counted
 * what a report cannot show (an ARC chain, a local override). Only when it leaves a result out
 * is alignment worked out from the raw auth_results, under the published adkim and aspf.
 */
final class RecordAlignment {
    private RecordAlignment() {}

    static boolean dkim(String evaluated, String headerFrom, List<DkimResult> results, Alignment.Mode mode) {
        if (evaluated != null) {
            return evaluated.equals("pass");
        }
        return headerFrom != null && results.stream()
                .anyMatch(result -> "pass".equals(result.result()) && aligned(result.domain(), headerFrom, mode));
    }

    /**
     * SPF authenticates the MAIL FROM domain; a HELO result stands in only when no MAIL FROM
     * result is given (the null reverse-path of bounces, RFC 7208 section 2.4).
     */
    static boolean spf(String evaluated, String headerFrom, List<SpfResult> results, Alignment.Mode mode) {
        if (evaluated != null) {
            return evaluated.equals("pass");
        }
        boolean anyMailFrom = results.stream().anyMatch(result -> !"helo".equals(result.scope()));
        var identities = anyMailFrom ? results.stream().filter(result -> !"helo".equals(result.scope())) : results.stream();
        return headerFrom != null && identities
                .anyMatch(result -> "pass".equals(result.result()) && aligned(result.domain(), headerFrom, mode));
    }

    private static boolean aligned(String domain, String headerFrom, Alignment.Mode mode) {
        if (domain == null || domain.isEmpty()) {
            return false;
        }
        try {
            return Alignment.aligned(domain, headerFrom, mode);
        } catch (IllegalArgumentException notADomainName) {
            return false; // a reporter's garbled name aligns with nothing
        }
    }
}
