package dev.mailroom.reputation;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.Smarthost;
import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.reputation.ComplianceReport.Check;
import dev.mailroom.reputation.ComplianceReport.Status;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import java.net.InetAddress;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sending domains against the bulk-sender rules Gmail and Yahoo enforce since February 2024 and
 * Microsoft since May 2025: SPF and DKIM, DMARC alignment, a DMARC record (p=none at least),
 * one-click unsubscribe for marketing, a spam complaint rate under 0.3% (0.1% is the target),
 * forward-confirmed reverse DNS of the sending IPs, and TLS. Rules that only bulk senders (more
 * than 5,000 messages a day to one provider) must meet are warnings for the others. A bulk sender
 * that fails a rule gets a {@code compliance} alert, resolved once nothing fails.
 */
public final class Compliance {
    public static final String ALERT_KIND = "compliance";
    /** The providers whose rules these are, as {@link DomainTraffic} names them. */
    public static final List<String> PROVIDERS = List.of("gmail", "outlook", "yahoo");
    /** More than this many messages in a day to one provider make a bulk sender (Gmail's, Yahoo's and Microsoft's line). */
    public static final long BULK_DAILY_VOLUME = 5_000;
    /** Gmail: stay under 0.1%; at 0.3% and above mail is refused or sent to spam. */
    static final double COMPLAINT_TARGET = 0.001;
    static final double COMPLAINT_LIMIT = 0.003;
    /** What SPF of the return path rests on (a delegated domain's records are all served by Mailroom behind its NS record). */
    private static final Set<RecordPurpose> SPF_RECORDS = Set.of(RecordPurpose.RETURN_PATH, RecordPurpose.SPF, RecordPurpose.NS);
    private static final Set<RecordPurpose> DKIM_RECORDS = Set.of(RecordPurpose.DKIM, RecordPurpose.NS);
    private static final String BULK_ONLY = " (a rule for bulk senders: required once the domain sends more than 5,000 messages a day to Gmail, Yahoo or Microsoft)";
    private final DomainService domainService;
    private final DomainRepository domains;
    private final PoolAssignments pools;
    private final DnsLookup dns;
    private final DomainTraffic traffic;
    private final Alerts alerts;
    private final Clock clock;

    public Compliance(DomainService domainService, DomainRepository domains, PoolAssignments pools, DnsLookup dns, DomainTraffic traffic,
            Alerts alerts, Clock clock) {
        this.domainService = domainService;
        this.domains = domains;
        this.pools = pools;
        this.dns = dns;
        this.traffic = traffic;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** The report of one domain within the caller's reach (not found otherwise). */
    public ComplianceReport forDomain(Scope scope, String domainId) {
        return report(domainService.get(scope, domainId), new HashMap<>());
    }

    /** The reports of every domain of a tenant, verified or not. */
    public List<ComplianceReport> forTenant(String tenantId) {
        var scope = Scope.tenant(tenantId);
        var reverseDns = new HashMap<String, Check>();
        return SendingDomains.all(domains, scope).stream().map(domain -> report(domainService.get(scope, domain.id()), reverseDns)).toList();
    }

    /** Checks every verified domain, raising or resolving the {@code compliance} alerts; answers how many were checked. */
    public synchronized int checkAll() {
        var reverseDns = new HashMap<String, Check>();
        var raised = new HashSet<Alert.Subject>();
        int checked = 0;
        for (var domain : SendingDomains.verified(domains)) {
            ComplianceReport report;
            try {
                report = report(domainService.get(Scope.AGENCY, domain.id()), reverseDns);
            } catch (NotFoundException deleted) {
                continue;
            }
            checked++;
            var failing = report.failing();
            if (report.bulkSender() && !failing.isEmpty()) {
                var subject = new Alert.Subject(domain.tenantId(), "domain", domain.id());
                var rules = failing.stream().map(Check::rule).toList();
                var data = new LinkedHashMap<String, Object>();
                data.put("domain", domain.name());
                data.put("bulk_providers", report.bulkProviders());
                data.put("failing", failing.stream().map(check -> Map.of("rule", check.rule(), "detail", check.detail(), "fix", check.fix())).toList());
                alerts.raise(subject, ALERT_KIND, Alert.Severity.WARNING, domain.name() + " sends in bulk to " + String.join(", ", report.bulkProviders())
                        + " and fails their sender rules: " + String.join(", ", rules), data);
                raised.add(subject);
            }
        }
        OpenAlerts.resolveExcept(alerts, ALERT_KIND, raised, "the domain meets the bulk-sender rules, sends no longer in bulk, or is no longer verified");
        return checked;
    }

    private ComplianceReport report(DomainDetails details, Map<String, Check> reverseDns) {
        var domain = details.domain();
        var volumes = new LinkedHashMap<String, Long>();
        var bulkProviders = new ArrayList<String>();
        for (var provider : PROVIDERS) {
            long volume = traffic.dailyVolume(domain.id(), provider);
            volumes.put(provider, volume);
            if (volume > BULK_DAILY_VOLUME) {
                bulkProviders.add(provider);
            }
        }
        boolean bulk = !bulkProviders.isEmpty();
        var dmarc = dmarc(domain.name());
        var pool = pools.poolFor(domain.tenantId(), domain.id());
        var checks = List.of(
                records("spf", details, SPF_RECORDS,
                        "SPF passes for the return path " + RecordPlanner.returnPath(domain.name()) + ": its records are verified"),
                records("dkim", details, DKIM_RECORDS,
                        "Mailroom signs with d=" + domain.name() + " and the key's record is verified"),
                alignment(details, dmarc, bulk),
                dmarcCheck(details, dmarc, bulk),
                unsubscribe(details),
                complaintRate(domain.id()),
                reverseDns.computeIfAbsent(pool.id(), id -> reverseDns(pool)),
                tls(pool));
        return new ComplianceReport(domain.id(), domain.tenantId(), domain.name(), domain.stream().name().toLowerCase(Locale.ROOT), bulk,
                bulkProviders, volumes, checks, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The required records of some purposes: all verified passes; any other state fails, with what to publish. */
    private static Check records(String rule, DomainDetails details, Set<RecordPurpose> purposes, String passed) {
        var open = required(details, purposes).stream().filter(record -> record.status() != RecordStatus.VERIFIED).toList();
        if (open.isEmpty()) {
            return new Check(rule, Status.PASS, passed, null);
        }
        var detail = "not verified: " + String.join(", ", open.stream()
                .map(record -> record.name() + " " + record.type() + " (" + record.status().name().toLowerCase(Locale.ROOT) + ")").toList())
                + "; mail from the domain is held until it is";
        return new Check(rule, Status.FAIL, detail, publish(open));
    }

    private static String publish(List<DnsRecord> records) {
        return "publish " + String.join("; ", records.stream().map(record -> record.name() + " " + record.type() + " " + record.value()).toList());
    }

    /** What DMARC policy discovery (RFC 7489 6.6.3) finds for a domain: its own record, else its organisational domain's. */
    private sealed interface Dmarc {
        record Found(String at, DmarcRecord record, boolean inherited) implements Dmarc {}

        record Missing() implements Dmarc {}

        record Invalid(String at, String problem) implements Dmarc {}

        record Failed(String reason) implements Dmarc {}
    }

    private Dmarc dmarc(String name) {
        var own = dmarcAt(name, false);
        var organisational = DomainNames.organisationalDomain(name);
        return own instanceof Dmarc.Missing && !organisational.equals(name) ? dmarcAt(organisational, true) : own;
    }

    private Dmarc dmarcAt(String domain, boolean inherited) {
        var at = "_dmarc." + domain;
        return switch (dns.txt(at)) {
            case Answer.Failed<String> failed -> new Dmarc.Failed(failed.reason());
            case Answer.NxDomain<String> ignored -> new Dmarc.Missing();
            case Answer.NoData<String> ignored -> new Dmarc.Missing();
            case Answer.Records<String> records -> {
                var found = records.values().stream().filter(value -> value.strip().startsWith("v=DMARC1")).toList();
                if (found.isEmpty()) {
                    yield new Dmarc.Missing();
                }
                if (found.size() > 1) {
                    yield new Dmarc.Invalid(at, found.size() + " DMARC records: receivers ignore them all");
                }
                try {
                    yield new Dmarc.Found(at, DmarcRecord.parse(found.getFirst()), inherited);
                } catch (IllegalArgumentException e) {
                    yield new Dmarc.Invalid(at, e.getMessage());
                }
            }
        };
    }

    private static Check dmarcCheck(DomainDetails details, Dmarc dmarc, boolean bulk) {
        var name = details.domain().name();
        var fix = "publish _dmarc." + name + " TXT " + details.records().stream().filter(record -> record.purpose() == RecordPurpose.DMARC)
                .map(DnsRecord::value).findFirst().orElse("v=DMARC1; p=none");
        return switch (dmarc) {
            case Dmarc.Found found -> {
                var policy = (found.inherited() ? found.record().subdomainPolicy() : found.record().policy()).name().toLowerCase(Locale.ROOT);
                yield new Check("dmarc", Status.PASS, "p=" + policy + " at " + found.at()
                        + (found.inherited() ? " (the organisational domain's record covers " + name + ")" : "")
                        + (policy.equals("none") ? "; none is enough for the rules, quarantine or reject also protect the domain from spoofing" : ""),
                        null);
            }
            case Dmarc.Missing ignored -> ruleFor(bulk, "dmarc", "no DMARC record at _dmarc." + name + " or its organisational domain", fix);
            case Dmarc.Invalid invalid -> ruleFor(bulk, "dmarc", "the record at " + invalid.at() + " is invalid: " + invalid.problem(),
                    fix + " (and remove the invalid one)");
            case Dmarc.Failed failed -> new Check("dmarc", Status.UNKNOWN, "the DMARC lookup failed: " + failed.reason(), null);
        };
    }

    /**
     * DMARC alignment: DKIM signs with d= the From domain itself, aligned in either mode; SPF
     * authenticates the return path, a subdomain, aligned only in relaxed mode (the default).
     */
    private static Check alignment(DomainDetails details, Dmarc dmarc, boolean bulk) {
        var name = details.domain().name();
        boolean dkim = verified(details, DKIM_RECORDS);
        boolean spf = verified(details, SPF_RECORDS);
        var mode = dmarc instanceof Dmarc.Found found ? found.record().spfAlignment() : Alignment.Mode.RELAXED;
        var returnPath = RecordPlanner.returnPath(name);
        boolean spfAligned = spf && Alignment.aligned(returnPath, name, mode);
        if (dkim || spfAligned) {
            var via = new ArrayList<String>();
            if (dkim) {
                via.add("DKIM (d=" + name + ")");
            }
            if (spfAligned) {
                via.add("SPF (" + returnPath + ", relaxed)");
            }
            return new Check("alignment", Status.PASS, "the From domain " + name + " aligns through " + String.join(" and ", via), null);
        }
        var why = spf ? "DKIM is not verified, and SPF's " + returnPath + " does not align under aspf=s" : "neither DKIM nor SPF is verified";
        return ruleFor(bulk, "alignment", why, spf ? "publish the DKIM records, or use aspf=r (the default) in the DMARC record"
                : "publish the DKIM and return-path records this domain lists");
    }

    private static List<DnsRecord> required(DomainDetails details, Set<RecordPurpose> purposes) {
        return details.records().stream().filter(record -> record.required() && purposes.contains(record.purpose())).toList();
    }

    private static boolean verified(DomainDetails details, Set<RecordPurpose> purposes) {
        var records = required(details, purposes);
        return !records.isEmpty() && records.stream().allMatch(record -> record.status() == RecordStatus.VERIFIED);
    }

    /** Mailroom adds one-click List-Unsubscribe (RFC 8058) to the bulk streams' mail; transactional mail is exempt. */
    private static Check unsubscribe(DomainDetails details) {
        var stream = details.domain().stream();
        if (stream.isBulk()) {
            return new Check("one_click_unsubscribe", Status.PASS, "Mailroom adds List-Unsubscribe (an HTTPS one-click URL and a mailto) and "
                    + "List-Unsubscribe-Post: List-Unsubscribe=One-Click to every " + stream.name().toLowerCase(Locale.ROOT)
                    + " message; a message submitted by SMTP with its own List-Unsubscribe keeps that one", null);
        }
        return new Check("one_click_unsubscribe", Status.PASS, "not required: transactional messages are exempt, and Mailroom adds no "
                + "List-Unsubscribe to them; send marketing from a marketing domain, which gets one-click unsubscribe", null);
    }

    private Check complaintRate(String domainId) {
        var rate = traffic.complaintRate(domainId);
        if (rate == null) {
            return new Check("complaint_rate", Status.UNKNOWN, "too little mail to measure a complaint rate", null);
        }
        var shown = percent(rate);
        if (rate >= COMPLAINT_LIMIT) {
            return new Check("complaint_rate", Status.FAIL, "spam complaint rate " + shown + " is at or over the providers' limit of 0.3%",
                    "send only to recipients who asked for the mail, remove inactive ones, and make unsubscribing easy; aim under 0.1%");
        }
        if (rate >= COMPLAINT_TARGET) {
            return new Check("complaint_rate", Status.WARN, "spam complaint rate " + shown + " is under the 0.3% limit but over Gmail's 0.1% target",
                    "review who receives this mail and how often; aim under 0.1%");
        }
        return new Check("complaint_rate", Status.PASS, "spam complaint rate " + shown + " is under Gmail's 0.1% target", null);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    /** Forward-confirmed reverse DNS of each address of the pool: its PTR name resolves back to it. */
    private Check reverseDns(Pool pool) {
        if (pool.smarthost() != null) {
            return new Check("reverse_dns", Status.UNKNOWN, "mail leaves through the smarthost " + pool.smarthost().host()
                    + ": the PTR records of its addresses are its operator's", null);
        }
        if (pool.addresses().isEmpty()) {
            return new Check("reverse_dns", Status.UNKNOWN, "pool " + pool.name() + " has no addresses: mail leaves from this machine's "
                    + "default address, which needs a PTR record naming a host that resolves back to it", null);
        }
        var failing = new ArrayList<String>();
        var fixes = new ArrayList<String>();
        var unknown = new ArrayList<String>();
        for (var address : pool.addresses()) {
            var ip = address.inetAddress();
            switch (confirmed(ip)) {
                case Confirmed.YES -> {}
                case Confirmed.NO -> {
                    failing.add(address.address());
                    fixes.add("set the PTR record of " + address.address() + " to " + address.hostname() + " (at the provider of the address) and publish "
                            + address.hostname() + " " + (ip instanceof java.net.Inet4Address ? "A " : "AAAA ") + address.address());
                }
                case Confirmed.UNKNOWN -> unknown.add(address.address());
            }
        }
        if (!failing.isEmpty()) {
            return new Check("reverse_dns", Status.FAIL, "no forward-confirmed reverse DNS for " + String.join(", ", failing), String.join("; ", fixes));
        }
        if (!unknown.isEmpty()) {
            return new Check("reverse_dns", Status.UNKNOWN, "reverse DNS lookups failed for " + String.join(", ", unknown), null);
        }
        return new Check("reverse_dns", Status.PASS, "every address of pool " + pool.name() + " has a PTR name that resolves back to it", null);
    }

    private enum Confirmed { YES, NO, UNKNOWN }

    private Confirmed confirmed(InetAddress ip) {
        return switch (dns.ptr(ip)) {
            case Answer.Failed<String> ignored -> Confirmed.UNKNOWN;
            case Answer.NxDomain<String> ignored -> Confirmed.NO;
            case Answer.NoData<String> ignored -> Confirmed.NO;
            case Answer.Records<String> names -> {
                var result = Confirmed.NO;
                for (var name : names.values()) {
                    var forward = ip instanceof java.net.Inet4Address ? dns.a(name) : dns.aaaa(name);
                    if (forward instanceof Answer.Failed<InetAddress>) {
                        result = Confirmed.UNKNOWN;
                    } else if (forward.valuesOrEmpty().contains(ip)) {
                        yield Confirmed.YES;
                    }
                }
                yield result;
            }
        };
    }

    private static Check tls(Pool pool) {
        var relay = pool.smarthost();
        if (relay == null) {
            return new Check("tls", Status.PASS, "Mailroom delivers with STARTTLS whenever the receiving MX offers it, as Gmail, Outlook and Yahoo do", null);
        }
        if (relay.tls() == Smarthost.Tls.NONE) {
            return new Check("tls", Status.WARN, "pool " + pool.name() + " relays through " + relay.host() + " without TLS; whether the relay "
                    + "uses TLS towards the providers is its own setting", "set the pool's smarthost tls to starttls or tls");
        }
        return new Check("tls", Status.PASS, "pool " + pool.name() + " relays through " + relay.host() + " over TLS; the relay delivers onwards", null);
    }

    /** A rule bulk senders must meet: failing, it fails for them and warns the others. */
    private static Check ruleFor(boolean bulk, String rule, String detail, String fix) {
        return bulk ? new Check(rule, Status.FAIL, detail, fix) : new Check(rule, Status.WARN, detail + BULK_ONLY, fix);
    }
}
