package dev.mailroom.dns;

import java.util.List;
import java.util.Locale;

/**
 * DMARC policy discovery (RFC 7489 6.6.3): the record at {@code _dmarc.<domain>}, else the
 * organisational domain's (whose {@code sp=} then applies). A name with several records, or a
 * record that does not parse, has no DMARC policy, as receivers treat it.
 */
public final class DmarcDiscovery {
    private final DnsLookup dns;

    public DmarcDiscovery(DnsLookup dns) {
        this.dns = dns;
    }

    /** What discovery found for one From domain. */
    public sealed interface Result {}

    /**
     * A record applies. {@code applied} is the policy receivers act on: {@code sp} for a subdomain
     * covered by its organisational domain's record, one step lower when {@code pct=0} (6.6.4).
     */
    public record Published(String recordName, DmarcRecord record, DmarcRecord.Policy applied) implements Result {}

    /** No policy: no record, several, or one that does not parse. */
    public record Absent() implements Result {}

    /** A lookup failed (timeout, SERVFAIL): nothing is known. */
    public record Unknown(String reason) implements Result {}

    public Result discover(String domain) {
        var name = domain.toLowerCase(Locale.ROOT);
        var own = lookUp(name);
        var organisational = DomainNames.organisationalDomain(name);
        if (own instanceof Found.None && !organisational.equals(name)) {
            return outcome(lookUp(organisational), true);
        }
        return outcome(own, false);
    }

    private sealed interface Found {
        record One(String name, String text) implements Found {}

        /** No record at this name: discovery may go on to the organisational domain. */
        record None() implements Found {}

        /** Several records: discovery stops here (6.6.3 step 4). */
        record Several() implements Found {}

        record Failed(String reason) implements Found {}
    }

    private Found lookUp(String name) {
        var recordName = "_dmarc." + name;
        return switch (dns.txt(recordName)) {
            case Answer.Failed<String> failed -> new Found.Failed(recordName + ": " + failed.reason());
            case Answer.NoData<String> ignored -> new Found.None();
            case Answer.NxDomain<String> ignored -> new Found.None();
            case Answer.Records<String> records -> {
                List<String> dmarc = records.values().stream().filter(value -> value.strip().startsWith("v=DMARC1")).toList();
                yield dmarc.isEmpty() ? new Found.None() : dmarc.size() > 1 ? new Found.Several() : new Found.One(recordName, dmarc.getFirst());
            }
        };
    }

    private static Result outcome(Found found, boolean subdomain) {
        return switch (found) {
            case Found.Failed failed -> new Unknown(failed.reason());
            case Found.None ignored -> new Absent();
            case Found.Several ignored -> new Absent();
            case Found.One one -> {
                DmarcRecord record;
                try {
                    record = DmarcRecord.parse(one.text());
                } catch (IllegalArgumentException e) {
                    yield new Absent();
                }
                var policy = subdomain ? record.subdomainPolicy() : record.policy();
                yield new Published(one.name(), record, record.percent() == 0 ? lower(policy) : policy);
            }
        };
    }

    /** RFC 7489 6.6.4: mail outside the pct sample gets the next policy down. */
    private static DmarcRecord.Policy lower(DmarcRecord.Policy policy) {
        return switch (policy) {
            case REJECT -> DmarcRecord.Policy.QUARANTINE;
            case QUARANTINE, NONE -> DmarcRecord.Policy.NONE;
        };
    }
}
