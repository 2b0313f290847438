package dev.mailroom.dns.spf;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One run of check_host() (RFC 7208 sections 4 to 6) for one client and sender, nested
 * includes and redirects included. Not thread-safe: {@link SpfEvaluator} makes one per check.
 */
final class SpfCheck {
    private static final String UNKNOWN = "unknown";

    private final DnsLookup dns;
    private final SpfLimits limits;
    private final InetAddress client;
    private final MacroExpander macros;
    private final MacroString defaultExplanation;

    SpfCheck(DnsLookup dns, Clock clock, InetAddress client, Sender sender, String helo, String receivingHost,
            MacroString defaultExplanation) {
        this.dns = dns;
        var start = clock.instant();
        this.limits = new SpfLimits(clock, start);
        this.client = client;
        this.macros = new MacroExpander(sender, helo, client, receivingHost, start, this::validatedName);
        this.defaultExplanation = defaultExplanation;
    }

    /**
     * check_host() for {@code domain}. An error deep inside ends this level at once and becomes
     * its result, which an include or redirect above then passes on.
     *
     * @param explain whether a fail needs its explanation; not inside an include, where fail only means "no match"
     */
    SpfResult checkHost(String domain, boolean explain) {
        try {
            var found = record(domain);
            if (found.isEmpty()) {
                return new SpfResult.None();
            }
            var record = found.get();
            for (var directive : record.directives()) {
                if (matches(directive.mechanism(), domain)) {
                    return result(directive.qualifier(), record, domain, explain);
                }
            }
            if (record.redirect().isPresent()) {
                return redirect(record.redirect().get(), domain, explain);
            }
            return new SpfResult.Neutral();
        } catch (SpfAbort abort) {
            return abort.result();
        }
    }

    /** The one {@code v=spf1} TXT record of a domain (section 4.5); type SPF records are not asked for. */
    private Optional<SpfRecord> record(String domain) {
        var records = values(dns.txt(domain), "TXT " + domain).stream().filter(SpfParser::isSpfRecord).toList();
        if (records.size() > 1) {
            throw SpfAbort.permError(domain + " publishes " + records.size() + " SPF records");
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpfParser.parse(records.getFirst()));
        } catch (InvalidSpfRecordException e) {
            throw SpfAbort.permError("SPF record of " + domain + ": " + e.getMessage());
        }
    }

    private boolean matches(Mechanism mechanism, String domain) {
        return switch (mechanism) {
            case Mechanism.All _ -> true;
            case Mechanism.Ip ip -> ip.network().contains(client);
            case Mechanism.Include include -> includePasses(include.domain(), domain);
            case Mechanism.A a -> addressMatches(a.domain(), a.cidr(), domain);
            case Mechanism.Mx mx -> exchangerMatches(mx.domain(), mx.cidr(), domain);
            case Mechanism.Ptr ptr -> reverseNameMatches(ptr.domain(), domain);
            case Mechanism.Exists exists -> nameExists(exists.domain(), domain);
        };
    }

    private SpfResult result(Qualifier qualifier, SpfRecord record, String domain, boolean explain) {
        return switch (qualifier) {
            case PASS -> new SpfResult.Pass();
            case FAIL -> new SpfResult.Fail(explain ? explanation(record, domain) : "");
            case SOFTFAIL -> new SpfResult.SoftFail();
            case NEUTRAL -> new SpfResult.Neutral();
        };
    }

    /** Section 5.2: the other domain's pass is a match, its none an error, the rest no match. */
    private boolean includePasses(MacroString spec, String domain) {
        limits.countDnsTerm();
        var target = target(spec, domain).orElseThrow(() -> SpfAbort.permError("include: names no usable domain"));
        return switch (checkHost(target, false)) {
            case SpfResult.Pass _ -> true;
            case SpfResult.Fail _, SpfResult.SoftFail _, SpfResult.Neutral _ -> false;
            case SpfResult.None _ -> throw SpfAbort.permError("include:" + target + " has no SPF record");
            case SpfResult.TempError error -> throw SpfAbort.tempError(error.reason());
            case SpfResult.PermError error -> throw SpfAbort.permError(error.reason());
        };
    }

    /** Section 6.1: the other domain's result becomes this one's, explanation included. */
    private SpfResult redirect(MacroString spec, String domain, boolean explain) {
        limits.countDnsTerm();
        var target = target(spec, domain).orElseThrow(() -> SpfAbort.permError("redirect= names no usable domain"));
        var result = checkHost(target, explain);
        if (result instanceof SpfResult.None) {
            throw SpfAbort.permError("redirect=" + target + " has no SPF record");
        }
        return result;
    }

    private boolean addressMatches(Optional<MacroString> spec, CidrLengths cidr, String domain) {
        limits.countDnsTerm();
        var target = targetOrCurrent(spec, domain);
        return target.isPresent() && termValues(addresses(target.get()), target.get()).stream()
                .anyMatch(found -> cidr.around(found).contains(client));
    }

    /** Section 5.4: never falls back to the name's own addresses when it has no MX. */
    private boolean exchangerMatches(Optional<MacroString> spec, CidrLengths cidr, String domain) {
        limits.countDnsTerm();
        var target = targetOrCurrent(spec, domain);
        if (target.isEmpty()) {
            return false;
        }
        var exchangers = termValues(dns.mx(target.get()), "MX " + target.get());
        if (exchangers.size() > SpfLimits.MAX_MX_NAMES) {
            throw SpfAbort.permError(target.get() + " has more than " + SpfLimits.MAX_MX_NAMES + " MX records");
        }
        for (var exchanger : exchangers) {
            // A null MX (RFC 7505) names no host.
            if (!SpfNames.isQueryable(exchanger.host())) {
                continue;
            }
            for (var found : values(addresses(exchanger.host()), exchanger.host())) {
                if (cidr.around(found).contains(client)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Section 5.5: a failed PTR lookup is no match rather than temperror; the sender does not control it. */
    private boolean reverseNameMatches(Optional<MacroString> spec, String domain) {
        limits.countDnsTerm();
        var target = targetOrCurrent(spec, domain);
        if (target.isEmpty()) {
            return false;
        }
        var answer = dns.ptr(client);
        var names = answer instanceof Answer.Failed<String> ? List.<String>of() : termValues(answer, "PTR " + client.getHostAddress());
        return firstPtrNames(names).stream()
                .filter(name -> SpfNames.isSameOrUnder(name, target.get()))
                .anyMatch(this::isValidated);
    }

    private boolean nameExists(MacroString spec, String domain) {
        limits.countDnsTerm();
        var target = target(spec, domain);
        return target.isPresent() && !termValues(dns.a(target.get()), "A " + target.get()).isEmpty();
    }

    /**
     * The p macro (section 7.3): a validated reverse name of the client, preferring the domain
     * itself, then a name under it; "unknown" when none validates or the lookup fails.
     */
    private String validatedName(String domain) {
        if (!(dns.ptr(client) instanceof Answer.Records<String> records)) {
            return UNKNOWN;
        }
        Comparator<String> preference = Comparator.comparingInt(
                name -> name.equalsIgnoreCase(domain) ? 0 : SpfNames.isSameOrUnder(name, domain) ? 1 : 2);
        return firstPtrNames(records.values()).stream().sorted(preference).filter(this::isValidated).findFirst().orElse(UNKNOWN);
    }

    private static List<String> firstPtrNames(List<String> names) {
        return names.subList(0, Math.min(names.size(), SpfLimits.MAX_PTR_NAMES));
    }

    /** A reverse name is validated when it leads back to the client; a failed lookup just skips the name. */
    private boolean isValidated(String name) {
        return SpfNames.isQueryable(name)
                && addresses(name) instanceof Answer.Records<InetAddress> found
                && found.values().contains(client);
    }

    private String explanation(SpfRecord record, String domain) {
        return record.explanation()
                .flatMap(spec -> publishedExplanation(spec, domain))
                .orElseGet(() -> macros.expand(defaultExplanation, domain));
    }

    /** Section 6.2: any trouble with exp= is as if it were absent; its lookup is outside every limit. */
    private Optional<String> publishedExplanation(MacroString spec, String domain) {
        var name = target(spec, domain);
        if (name.isEmpty() || !(dns.txt(name.get()) instanceof Answer.Records<String> texts) || texts.values().size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(macros.expand(MacroString.parseExplanation(texts.values().getFirst()), domain));
        } catch (InvalidSpfRecordException e) {
            return Optional.empty();
        }
    }

    /** The name a domain-spec expands to, if DNS can be asked about it (section 4.8 treats others as no match). */
    private Optional<String> target(MacroString spec, String domain) {
        var name = SpfNames.forQuery(macros.expand(spec, domain));
        return SpfNames.isQueryable(name) ? Optional.of(name) : Optional.empty();
    }

    private Optional<String> targetOrCurrent(Optional<MacroString> spec, String domain) {
        return spec.isPresent() ? target(spec.get(), domain) : Optional.of(domain);
    }

    /** The client's own address family: an IPv6 client is never matched by A records, nor IPv4 by AAAA. */
    private Answer<InetAddress> addresses(String name) {
        return client instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
    }

    /** The records of an answer; a failed lookup ends the check with temperror (section 5). */
    private <T> List<T> values(Answer<T> answer, String question) {
        return switch (answer) {
            case Answer.Records<T> records -> records.values();
            case Answer.NoData<T> _, Answer.NxDomain<T> _ -> List.of();
            case Answer.Failed<T> failed -> throw SpfAbort.tempError(question + ": " + failed.reason());
        };
    }

    /** As {@link #values}, for the lookup a term is about: finding nothing counts as a void lookup. */
    private <T> List<T> termValues(Answer<T> answer, String question) {
        var values = values(answer, question);
        if (values.isEmpty()) {
            limits.countVoidLookup(question);
        }
        return values;
    }
}
