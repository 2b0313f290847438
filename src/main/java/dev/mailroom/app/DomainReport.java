package dev.mailroom.app;

import dev.mailroom.dkim.DkimKeyRecord;
import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.MxHost;
import dev.mailroom.dns.spf.SpfLookupCount;
import dev.mailroom.dns.spf.SpfParser;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What DNS says about any domain's mail set-up (MX, SPF, DMARC, DKIM), as lines for a person to read. */
public final class DomainReport {
    /** Selectors worth trying when none is given: the big providers' and common defaults. */
    public static final List<String> COMMON_SELECTORS = List.of("default", "dkim", "mail", "selector1", "selector2", "google", "k1", "s1", "s2");
    private final DnsLookup dns;

    public DomainReport(DnsLookup dns) {
        this.dns = dns;
    }

    public List<String> lines(String domain, List<String> selectors) {
        var lines = new ArrayList<String>();
        var organisational = DomainNames.organisationalDomain(domain);
        lines.add("domain " + domain + (organisational.equals(domain) ? "" : " (organisational domain " + organisational + ")"));
        lines.add("MX     " + describe(dns.mx(domain), mx -> mx.stream().sorted(Comparator.comparingInt(MxHost::preference))
                .map(host -> host.preference() + " " + host.host()).reduce((a, b) -> a + ", " + b).orElse("")));
        lines.add("SPF    " + describe(dns.txt(domain), this::spf));
        var dmarc = dns.txt("_dmarc." + domain);
        var dmarcLine = describe(dmarc, DomainReport::dmarc);
        if (dmarcLine.startsWith("none") && !organisational.equals(domain)) {
            dmarcLine += "; the organisational domain's record applies: " + describe(dns.txt("_dmarc." + organisational), DomainReport::dmarc);
        }
        lines.add("DMARC  " + dmarcLine);
        var found = false;
        for (var selector : selectors) {
            var answer = dns.txt(selector + "._domainkey." + domain);
            if (answer instanceof Answer.Records<String> records) {
                lines.add("DKIM   " + selector + ": " + dkim(records.values()));
                found = true;
            } else if (answer instanceof Answer.Failed<String> failed) {
                lines.add("DKIM   " + selector + ": lookup failed (" + failed.reason() + ")");
            }
        }
        if (!found) {
            lines.add("DKIM   no key at the selectors tried (" + String.join(", ", selectors) + "); name one with --selector");
        }
        return lines;
    }

    private String spf(List<String> values) {
        var records = values.stream().filter(SpfParser::isSpfRecord).toList();
        if (records.isEmpty()) {
            return "none";
        }
        if (records.size() > 1) {
            return records.size() + " SPF records: receivers answer permerror";
        }
        var lookups = new SpfLookupCount(dns).of(records.getFirst());
        return records.getFirst() + lookups.map(count -> " (" + count + " of " + SpfLookupCount.LIMIT + " lookups"
                + (count > SpfLookupCount.LIMIT ? ": over the limit, permerror" : "") + ")").orElse(" (lookups not counted: a record on the way failed to load or parse)");
    }

    private static String dmarc(List<String> values) {
        var records = values.stream().filter(value -> value.strip().startsWith("v=DMARC1")).toList();
        if (records.isEmpty()) {
            return "none";
        }
        if (records.size() > 1) {
            return records.size() + " DMARC records: receivers ignore them all";
        }
        try {
            var record = DmarcRecord.parse(records.getFirst());
            return "p=" + record.policy().name().toLowerCase(java.util.Locale.ROOT) + ", sp=" + record.subdomainPolicy().name().toLowerCase(java.util.Locale.ROOT) + ", pct="
                    + record.percent() + ", reports to " + (record.aggregateReportAddresses().isEmpty() ? "nobody" : String.join(", ", record.aggregateReportAddresses()));
        } catch (IllegalArgumentException e) {
            return "invalid: " + e.getMessage();
        }
    }

    private static String dkim(List<String> values) {
        try {
            var record = DkimKeyRecord.parse(values.getFirst());
            if (record.revoked()) {
                return "key revoked (empty p=)";
            }
            var size = record.toPublicKey() instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() + "-bit RSA key" : "Ed25519 key";
            return size + (record.testing() ? " (testing, t=y)" : "");
        } catch (Exception e) {
            return "unreadable key record: " + e.getMessage();
        }
    }

    private static <T> String describe(Answer<T> answer, java.util.function.Function<List<T>, String> found) {
        return switch (answer) {
            case Answer.Records<T> records -> found.apply(records.values());
            case Answer.NoData<T> ignored -> "none";
            case Answer.NxDomain<T> ignored -> "none (the name does not exist)";
            case Answer.Failed<T> failed -> "lookup failed: " + failed.reason();
        };
    }
}
