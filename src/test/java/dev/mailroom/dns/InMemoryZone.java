package dev.mailroom.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DnsLookup} over records held in memory, for tests. It answers as a real resolver
 * would: names in any case, CNAME chains followed (a loop or an overlong chain fails),
 * NXDOMAIN only for a name with nothing at or below it, no data for a name that exists with
 * other types. A name marked as timing out fails every question it has no records for.
 */
public final class InMemoryZone implements DnsLookup {
    public enum Type { TXT, SPF, A, AAAA, MX, PTR, CNAME, NS }

    private static final int MAX_CNAME_CHAIN = 8;

    private final Map<String, Map<Type, List<Object>>> names = new LinkedHashMap<>();
    private final Set<String> timingOut = new HashSet<>();

    /** A TXT record; several strings are joined without a separator, as resolvers do (RFC 7208 section 3.3). */
    public InMemoryZone txt(String name, String... strings) {
        return add(name, Type.TXT, String.join("", strings));
    }

    /** An RR type 99 record: it makes the name exist, but no {@link DnsLookup} question returns it. */
    public InMemoryZone spf(String name, String... strings) {
        return add(name, Type.SPF, String.join("", strings));
    }

    public InMemoryZone a(String name, String address) {
        var parsed = InetAddress.ofLiteral(address);
        if (!(parsed instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return add(name, Type.A, parsed);
    }

    public InMemoryZone aaaa(String name, String address) {
        return add(name, Type.AAAA, Inet6Address.ofLiteral(address));
    }

    public InMemoryZone mx(String name, int preference, String host) {
        return add(name, Type.MX, new MxHost(preference, withoutTrailingDot(host)));
    }

    /** A PTR record at a reverse name such as {@code 4.3.2.1.in-addr.arpa}. */
    public InMemoryZone ptr(String reverseName, String target) {
        return add(reverseName, Type.PTR, withoutTrailingDot(target));
    }

    public InMemoryZone cname(String name, String target) {
        return add(name, Type.CNAME, withoutTrailingDot(target));
    }

    public InMemoryZone ns(String name, String host) {
        return add(name, Type.NS, withoutTrailingDot(host));
    }

    /** Questions about the name fail (as on a timeout), except for the types it has records of. */
    public InMemoryZone timeout(String name) {
        var key = key(name);
        names.computeIfAbsent(key, k -> new EnumMap<>(Type.class));
        timingOut.add(key);
        return this;
    }

    @Override
    public Answer<String> txt(String name) {
        return lookup(name, Type.TXT, String.class);
    }

    @Override
    public Answer<InetAddress> a(String name) {
        return lookup(name, Type.A, InetAddress.class);
    }

    @Override
    public Answer<InetAddress> aaaa(String name) {
        return lookup(name, Type.AAAA, InetAddress.class);
    }

    @Override
    public Answer<MxHost> mx(String name) {
        return lookup(name, Type.MX, MxHost.class);
    }

    @Override
    public Answer<String> ptr(InetAddress address) {
        return lookup(reverseName(address), Type.PTR, String.class);
    }

    @Override
    public Answer<String> cname(String name) {
        return lookup(name, Type.CNAME, String.class);
    }

    @Override
    public Answer<String> ns(String name) {
        return lookup(name, Type.NS, String.class);
    }

    /** The name under in-addr.arpa or ip6.arpa whose PTR records name the address's hosts. */
    public static String reverseName(InetAddress address) {
        byte[] bytes = address.getAddress();
        var labels = new ArrayList<String>();
        for (int i = bytes.length - 1; i >= 0; i--) {
            int b = bytes[i] & 0xff;
            if (address instanceof Inet4Address) {
                labels.add(Integer.toString(b));
            } else {
                labels.add(Integer.toHexString(b & 0xf));
                labels.add(Integer.toHexString(b >> 4));
            }
        }
        labels.add(address instanceof Inet4Address ? "in-addr.arpa" : "ip6.arpa");
        return String.join(".", labels);
    }

    private InMemoryZone add(String name, Type type, Object value) {
        names.computeIfAbsent(key(name), k -> new EnumMap<>(Type.class)).computeIfAbsent(type, t -> new ArrayList<>()).add(value);
        return this;
    }

    private <T> Answer<T> lookup(String name, Type type, Class<T> valueType) {
        var owner = key(name);
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            var records = names.get(owner);
            if (records == null) {
                return exists(owner) ? new Answer.NoData<>() : new Answer.NxDomain<>();
            }
            var values = records.getOrDefault(type, List.of());
            if (!values.isEmpty()) {
                return new Answer.Records<>(values.stream().map(valueType::cast).toList());
            }
            if (timingOut.contains(owner)) {
                return new Answer.Failed<>("timed out asking " + type + " " + owner);
            }
            var aliases = records.getOrDefault(Type.CNAME, List.of());
            if (aliases.isEmpty()) {
                return new Answer.NoData<>();
            }
            owner = key((String) aliases.getFirst());
        }
        return new Answer.Failed<>("CNAME chain from " + name + " loops or is longer than " + MAX_CNAME_CHAIN);
    }

    /** A name exists if it or a name below it has records (RFC 8020: empty non-terminals are not NXDOMAIN). */
    private boolean exists(String owner) {
        return names.keySet().stream().anyMatch(known -> known.equals(owner) || known.endsWith("." + owner));
    }

    private static String key(String name) {
        return withoutTrailingDot(name).toLowerCase(Locale.ROOT);
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
