package dev.mailroom.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Every DNS lookup Mailroom makes: dnsjava over the configured servers (UDP, TCP when an
 * answer is truncated), with a cache that keeps answers for their TTL and negative answers
 * for the zone's negative TTL. Failures (timeouts, SERVFAIL) are never cached and never
 * reported as a missing record.
 */
public final class CachingResolver implements DnsLookup {
    private final Resolver resolver;
    /** Null in the {@link #fresh()} view, which asks every time. */
    private final Cache cache;

    private CachingResolver(Resolver resolver, Cache cache) {
        this.resolver = resolver;
        this.cache = cache;
    }

    /** @param servers the resolvers to ask; empty for the system's */
    public CachingResolver(List<InetSocketAddress> servers, Duration timeout) {
        var addresses = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        var resolvers = addresses.stream().map(address -> {
            var simple = new SimpleResolver(address);
            simple.setTimeout(timeout);
            return (Resolver) simple;
        }).toList();
        var extended = new ExtendedResolver(resolvers);
        extended.setTimeout(timeout);
        extended.setRetries(2);
        this.resolver = extended;
        this.cache = new Cache(DClass.IN);
    }

    /** A caching resolver over any dnsjava resolver (e.g. one that routes zones to different servers). */
    public static CachingResolver using(Resolver resolver) {
        return new CachingResolver(resolver, new Cache(DClass.IN));
    }

    /**
     * The same servers without the cache: for checks a person asks for right after changing
     * DNS, which must not see a negative answer cached from before the change.
     */
    public DnsLookup fresh() {
        return new CachingResolver(resolver, null);
    }

    @Override
    public Answer<String> txt(String name) {
        // bytes read as ISO-8859-1: a non-ASCII byte stays visible (and refused by the parsers) instead of being escaped away
        return query(name, Type.TXT, record -> ((TXTRecord) record).getStringsAsByteArrays().stream()
                .map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .collect(java.util.stream.Collectors.joining()));
    }

    @Override
    public Answer<InetAddress> a(String name) {
        return query(name, Type.A, record -> ((ARecord) record).getAddress());
    }

    @Override
    public Answer<InetAddress> aaaa(String name) {
        return query(name, Type.AAAA, record -> ((AAAARecord) record).getAddress());
    }

    @Override
    public Answer<MxHost> mx(String name) {
        return query(name, Type.MX, record -> new MxHost(((MXRecord) record).getPriority(), text(((MXRecord) record).getTarget())));
    }

    @Override
    public Answer<String> ptr(InetAddress address) {
        return query(ReverseMap.fromAddress(address), Type.PTR, record -> text(((PTRRecord) record).getTarget()));
    }

    @Override
    public Answer<String> cname(String name) {
        return query(name, Type.CNAME, record -> text(((CNAMERecord) record).getTarget()));
    }

    @Override
    public Answer<String> ns(String name) {
        return query(name, Type.NS, record -> text(((NSRecord) record).getTarget()));
    }

    private <T> Answer<T> query(String name, int type, Function<Record, T> convert) {
        Name parsed;
        try {
            parsed = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new Answer.NxDomain<>(); // not a name that can exist in DNS
        }
        return query(parsed, type, convert);
    }

    private <T> Answer<T> query(Name name, int type, Function<Record, T> convert) {
        var lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache != null ? cache : new Cache(DClass.IN));
        lookup.setSearchPath((Name[]) null);
        lookup.setHostsFileParser(null); // DNS only: /etc/hosts must not answer for SPF or verification
        var records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> new Answer.Records<>(
                    java.util.Arrays.stream(records).filter(record -> record.getType() == type).map(convert).toList());
            case Lookup.HOST_NOT_FOUND -> new Answer.NxDomain<>();
            case Lookup.TYPE_NOT_FOUND -> new Answer.NoData<>();
            default -> new Answer.Failed<>(Type.string(type) + " " + name + ": " + lookup.getErrorString());
        };
    }

    private static String text(Name name) {
        var text = name.toString(true);
        return text.toLowerCase(Locale.ROOT);
    }
}
