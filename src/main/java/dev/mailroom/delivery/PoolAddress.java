package dev.mailroom.delivery;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/**
 * A source address of a pool. Connections bind to {@code address} and give {@code hostname} in
 * EHLO: receivers expect that name to be the address's PTR name and to resolve back to it.
 * {@code weight} (1 to 1000) is the address's share of the pool's mail relative to the others',
 * e.g. lower while a new address warms up.
 */
public record PoolAddress(String address, String hostname, int weight) {
    public static final int DEFAULT_WEIGHT = 100;
    public static final int MAX_WEIGHT = 1000;

    /** The address to bind connections to. */
    public InetAddress inetAddress() {
        return InetAddresses.forString(address);
    }

    /**
     * The canonical text of an IP address literal: IPv4 as a dotted quad, IPv6 as RFC 5952 has it
     * (an IPv4-mapped IPv6 address as the IPv4 address it is). Host names, the short and octal
     * IPv4 forms ({@code 127.1}, {@code 010.0.0.1}), zone ids and addresses no connection can be
     * bound to (unspecified, multicast) throw {@link IllegalArgumentException} saying what is wrong.
     */
    static String canonical(String literal) {
        var text = literal.strip();
        if (text.contains("%")) {
            throw new IllegalArgumentException("'" + text + "' has a zone id; give a global address");
        }
        InetAddress address;
        try {
            address = InetAddresses.forString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (dotted quad) or IPv6 address");
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException("'" + text + "' cannot be a source address (unspecified or multicast)");
        }
        return InetAddresses.toAddrString(address);
    }
}
