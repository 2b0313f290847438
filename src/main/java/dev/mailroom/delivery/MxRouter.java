package dev.mailroom.delivery;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.MxHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Finds the route for a recipient domain (RFC 5321 section 5.1): its MX hosts by preference;
 * without MX records, the domain itself when it has an address (the implicit MX); a null MX
 * (RFC 7505) means the domain takes no mail. A failed lookup is never read as "no route".
 */
public final class MxRouter {
    private final DnsLookup dns;
    private final RandomGenerator random;

    public MxRouter(DnsLookup dns, RandomGenerator random) {
        this.dns = dns;
        this.random = random;
    }

    public Route route(String domain) {
        return switch (dns.mx(domain)) {
            case Answer.Records<MxHost> records -> fromMx(records.values());
            case Answer.NoData<MxHost> none -> implicit(domain);
            case Answer.NxDomain<MxHost> none -> new Route.NoHosts(domain + " does not exist (NXDOMAIN)");
            case Answer.Failed<MxHost> failed -> new Route.Unknown("MX lookup for " + domain + " failed: " + failed.reason());
        };
    }

    private Route fromMx(List<MxHost> records) {
        if (records.size() == 1 && isNullHost(records.get(0).host())) {
            return new Route.NullMx();
        }
        var hosts = new ArrayList<MxHost>();
        records.stream().filter(mx -> !isNullHost(mx.host())).forEach(hosts::add);
        if (hosts.isEmpty()) {
            return new Route.NullMx();
        }
        // equal preferences are shuffled first, then a stable sort keeps that order within each preference
        Collections.shuffle(hosts, random);
        hosts.sort(Comparator.comparingInt(MxHost::preference));
        return new Route.Hosts(hosts, false);
    }

    private Route implicit(String domain) {
        var a = dns.a(domain);
        var aaaa = dns.aaaa(domain);
        if (a instanceof Answer.Records<?> || aaaa instanceof Answer.Records<?>) {
            return new Route.Hosts(List.of(new MxHost(0, domain)), true);
        }
        if (a instanceof Answer.Failed<?> failed) {
            return new Route.Unknown("address lookup for " + domain + " failed: " + failed.reason());
        }
        if (aaaa instanceof Answer.Failed<?> failed) {
            return new Route.Unknown("address lookup for " + domain + " failed: " + failed.reason());
        }
        return new Route.NoHosts(domain + " has no MX and no address");
    }

    /** The null MX's exchange is the root name ("." in zone files). */
    private static boolean isNullHost(String host) {
        return host.isEmpty() || host.equals(".");
    }
}
