package dev.mailroom.dns.verify;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;

import dev.mailroom.dns.verify.RecordCheck.Known;
import dev.mailroom.dns.verify.RecordCheck.Unknown;
import dev.mailroom.dns.spf.SpfLookupCount;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks a record Mailroom asked for against what DNS serves, and says in words what was
 * found and what was expected. Catches the usual mistakes: a CNAME pointing elsewhere, a
 * key published where a CNAME was asked for, two SPF or DMARC records, a DMARC record that
 * does not send reports to Mailroom, an SPF record that includes its parent domain.
 */
public final class RecordVerifier {
    private final DnsLookup dns;

    public RecordVerifier(DnsLookup dns) {
        this.dns = dns;
    }

    public RecordCheck check(DnsRecord expected) {
        return switch (expected.type()) {
            case "CNAME" -> checkCname(expected);
            case "TXT" -> switch (expected.purpose()) {
                case DKIM -> checkDkimKey(expected);
                case DMARC -> checkDmarc(expected);
                case SPF -> checkSpf(expected);
                default -> checkTxtValue(expected);
            };
            case "MX" -> checkHost(expected, dns.mx(expected.name()), mx -> mx.host(), "MX");
            case "NS" -> checkHost(expected, dns.ns(expected.name()), ns -> ns, "NS");
            default -> new Known(RecordStatus.INVALID, "cannot check records of type " + expected.type());
        };
    }

    private RecordCheck checkCname(DnsRecord expected) {
        var want = canonical(expected.value());
        return switch (dns.cname(expected.name())) {
            case Answer.Failed<String> failed -> new Unknown(failed.reason());
            case Answer.NxDomain<String> ignored -> missing(expected);
            case Answer.NoData<String> ignored -> {
                if (expected.purpose() == RecordPurpose.DKIM && dns.txt(expected.name()) instanceof Answer.Records<String>) {
                    yield new Known(RecordStatus.INVALID, "found a TXT key at " + expected.name() + " instead of the CNAME to " + want
                            + "; publish the CNAME so that Mailroom can rotate keys");
                }
                yield new Known(RecordStatus.MISSING, expected.name() + " exists but has no CNAME; expected CNAME " + want);
            }
            case Answer.Records<String> records -> {
                var found = canonical(records.values().getFirst());
                yield found.equals(want)
                        ? new Known(RecordStatus.VERIFIED, "CNAME points to " + want)
                        : new Known(RecordStatus.INVALID, "CNAME points to " + found + ", expected " + want);
            }
        };
    }

    private RecordCheck checkDkimKey(DnsRecord expected) {
        return withTxt(expected, values -> {
            var keys = values.stream().filter(v -> v.contains("p=")).toList();
            if (keys.isEmpty()) {
                return new Known(RecordStatus.MISSING, "no DKIM key at " + expected.name());
            }
            if (keys.size() > 1) {
                return new Known(RecordStatus.INVALID, keys.size() + " TXT records at " + expected.name() + "; a selector holds one key");
            }
            var wantKey = publicKey(expected.value());
            var foundKey = publicKey(keys.getFirst());
            return wantKey.equals(foundKey)
                    ? new Known(RecordStatus.VERIFIED, "DKIM key published")
                    : new Known(RecordStatus.INVALID, "a different key is published at " + expected.name() + "; publish: " + expected.value());
        });
    }

    private RecordCheck checkDmarc(DnsRecord expected) {
        return withTxt(expected, values -> {
            var records = values.stream().filter(v -> v.strip().startsWith("v=DMARC1")).toList();
            if (records.isEmpty()) {
                return missing(expected);
            }
            if (records.size() > 1) {
                return new Known(RecordStatus.INVALID, records.size() + " DMARC records at " + expected.name()
                        + "; receivers ignore them all, publish one");
            }
            DmarcRecord found;
            try {
                found = DmarcRecord.parse(records.getFirst());
            } catch (IllegalArgumentException e) {
                return new Known(RecordStatus.INVALID, "DMARC record does not parse: " + e.getMessage());
            }
            var reportAddress = DmarcRecord.parse(expected.value()).aggregateReportAddresses().getFirst();
            if (!found.aggregateReportAddresses().contains(reportAddress)) {
                return new Known(RecordStatus.INVALID, "DMARC is published, but rua does not include " + reportAddress
                        + ": Mailroom will not see the aggregate reports");
            }
            var detail = "DMARC published with p=" + found.policy().name().toLowerCase(Locale.ROOT);
            if (found.policy() == DmarcRecord.Policy.REJECT) {
                detail += "; p=reject before reports have shown all legitimate mail aligned risks losing mail: start at p=none";
            }
            return new Known(RecordStatus.VERIFIED, detail);
        });
    }

    private RecordCheck checkSpf(DnsRecord expected) {
        return withTxt(expected, values -> {
            var records = values.stream().filter(v -> v.toLowerCase(Locale.ROOT).startsWith("v=spf1")).toList();
            if (records.isEmpty()) {
                return missing(expected);
            }
            if (records.size() > 1) {
                return new Known(RecordStatus.INVALID, "two SPF records at " + expected.name() + "; SPF then fails with permerror, merge them");
            }
            var found = records.getFirst().toLowerCase(Locale.ROOT);
            var include = includeOf(expected.value());
            if (!found.contains(include)) {
                return new Known(RecordStatus.INVALID, "SPF record does not contain " + include + "; expected " + expected.value());
            }
            var lookups = new SpfLookupCount(dns).of(records.getFirst());
            if (lookups.isPresent() && lookups.get() > SpfLookupCount.LIMIT) {
                return new Known(RecordStatus.INVALID, "SPF needs " + lookups.get() + " lookups, limit is " + SpfLookupCount.LIMIT
                        + ": receivers answer permerror; flatten or drop includes");
            }
            var parent = includedAncestor(expected.name(), found);
            if (parent != null) {
                return new Known(RecordStatus.VERIFIED, "SPF includes " + include + ", but also its parent " + parent
                        + ": every sender of the parent may send as this name, and its lookups count against the limit of 10");
            }
            return new Known(RecordStatus.VERIFIED, "SPF includes " + include);
        });
    }

    private RecordCheck checkTxtValue(DnsRecord expected) {
        return withTxt(expected, values -> values.contains(expected.value())
                ? new Known(RecordStatus.VERIFIED, "TXT record published")
                : new Known(RecordStatus.INVALID, "TXT at " + expected.name() + " does not read " + expected.value()));
    }

    private <T> RecordCheck checkHost(DnsRecord expected, Answer<T> answer, Function<T, String> host, String type) {
        var value = expected.value();
        var want = canonical(value.contains(" ") ? value.substring(value.indexOf(' ') + 1) : value);
        return switch (answer) {
            case Answer.Failed<T> failed -> new Unknown(failed.reason());
            case Answer.NxDomain<T> ignored -> missing(expected);
            case Answer.NoData<T> ignored -> missing(expected);
            case Answer.Records<T> records -> {
                var hosts = records.values().stream().map(host).map(RecordVerifier::canonical).toList();
                yield hosts.contains(want)
                        ? new Known(RecordStatus.VERIFIED, type + " names " + want)
                        : new Known(RecordStatus.INVALID, type + " names " + String.join(", ", hosts) + ", expected " + want);
            }
        };
    }

    private RecordCheck withTxt(DnsRecord expected, Function<List<String>, RecordCheck> judge) {
        return switch (dns.txt(expected.name())) {
            case Answer.Failed<String> failed -> new Unknown(failed.reason());
            case Answer.NxDomain<String> ignored -> missing(expected);
            case Answer.NoData<String> ignored -> missing(expected);
            case Answer.Records<String> records -> judge.apply(records.values());
        };
    }

    private static Known missing(DnsRecord expected) {
        return new Known(RecordStatus.MISSING, "no " + expected.type() + " record at " + expected.name() + "; expected " + expected.value());
    }

    private static String publicKey(String record) {
        for (var part : record.split(";")) {
            var tag = part.strip();
            if (tag.startsWith("p=")) {
                return tag.substring(2).replaceAll("\\s", "");
            }
        }
        return "";
    }

    private static String includeOf(String spf) {
        for (var term : spf.split(" ")) {
            if (term.startsWith("include:")) {
                return term.toLowerCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("expected SPF record has no include: " + spf);
    }

    /** A domain above {@code name} (its parent, or theirs) that the SPF record includes, or null. */
    private static String includedAncestor(String name, String spf) {
        var ancestor = canonical(name);
        while (ancestor.indexOf('.') != ancestor.lastIndexOf('.')) {
            ancestor = ancestor.substring(ancestor.indexOf('.') + 1);
            if (spf.contains("include:" + ancestor + " ") || spf.endsWith("include:" + ancestor)) {
                return ancestor;
            }
        }
        return null;
    }

    private static String canonical(String name) {
        var lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
