package dev.mailroom.dns.spf;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The prefix lengths of an {@code a} or {@code mx} mechanism ({@code a/24//64}): one for the
 * IPv4 addresses it finds, one for the IPv6 ones, because a name usually has both.
 */
public record CidrLengths(int ip4, int ip6) {
    public static final CidrLengths WHOLE_ADDRESS = new CidrLengths(32, 128);

    public CidrLengths {
        if (ip4 < 0 || ip4 > 32 || ip6 < 0 || ip6 > 128) {
            throw new IllegalArgumentException("prefix lengths out of range: /" + ip4 + "//" + ip6);
        }
    }

    /** The network of {@code found} (an address from DNS) that a client must fall into. */
    IpNetwork around(InetAddress found) {
        return new IpNetwork(found, found instanceof Inet4Address ? ip4 : ip6);
    }
}
