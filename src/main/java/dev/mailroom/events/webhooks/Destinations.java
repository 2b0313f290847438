package dev.mailroom.events.webhooks;

import dev.mailroom.dns.spf.IpNetwork;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where webhooks may go. A URL is http or https with a host name or address and no user name or
 * password. Unless {@code webhooks.allow_private} is on, a host with any address that is not
 * public is refused, when the endpoint is created and again before every attempt: a name's
 * addresses can change after it was checked (DNS rebinding). The check resolves through the JVM's
 * resolver, whose cache the HTTP client's connection reads next, so both see the same addresses.
 */
public final class Destinations {
    static final int MAX_URL_LENGTH = 2000;
    /**
     * Loopback, private (RFC 1918), shared (RFC 6598), link-local, unique-local (RFC 4193), the
     * unspecified and "this network" addresses, multicast, reserved and benchmark blocks, IETF
     * protocol assignments, deprecated site-local IPv6 and NAT64 (which reaches IPv4 behind it).
     * IPv4-mapped IPv6 addresses arrive as IPv4 (InetAddress converts them).
     */
    private static final List<IpNetwork> NOT_PUBLIC = Stream.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
                    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
                    "::/128", "::1/128", "64:ff9b::/96", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
            .map(Destinations::network).toList();

    /** Resolves a host name to its addresses (an address literal to itself). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public Destinations(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Parses an endpoint URL; the exception's message says what is wrong, to follow the field name. */
    URI parse(String text) {
        if (text.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getMessage());
        }
        var scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("must be an https:// (or http://) URL");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("has no host name or address (names may hold letters, digits, hyphens and dots)");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry a user name or password; authenticate requests by their signature");
        }
        return url;
    }

    /** Why the URL's host may not be sent to, or empty when it may. */
    Optional<String> refusal(URI url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        var host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of(host + " does not resolve");
        }
        return Stream.of(addresses).filter(Destinations::notPublic).findFirst().map(address -> host + " resolves to "
                + address.getHostAddress() + ", which is not a public address (webhooks.allow_private is off)");
    }

    static boolean notPublic(InetAddress address) {
        return NOT_PUBLIC.stream().anyMatch(network -> network.contains(address));
    }

    private static IpNetwork network(String cidr) {
        var slash = cidr.indexOf('/');
        return new IpNetwork(InetAddress.ofLiteral(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }
}
