package dev.mailroom.dns.spf;

import java.net.InetAddress;

/**
 * An address block. IPv4 and IPv6 never match each other, which is why callers turn an
 * IPv4-mapped client address into plain IPv4 first (RFC 7208 section 5, last paragraph).
 */
public record IpNetwork(InetAddress address, int prefixLength) {
    public IpNetwork {
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " does not fit a " + bits + "-bit address");
        }
    }

    public boolean contains(InetAddress candidate) {
        byte[] network = address.getAddress();
        byte[] other = candidate.getAddress();
        if (network.length != other.length) {
            return false;
        }
        int wholeBytes = prefixLength / 8;
        for (int i = 0; i < wholeBytes; i++) {
            if (network[i] != other[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xff << (8 - remainingBits);
        return ((network[wholeBytes] ^ other[wholeBytes]) & mask) == 0;
    }
}
