package dev.mailroom.tenancy;

import java.net.InetAddress;

/** An IP network in CIDR notation, e.g. {@code 203.0.113.0/24} or {@code 2001:db8::/48}. */
public record Network(InetAddress address, int prefixLength) {
    /** Shorter prefixes than these would let most of the Internet submit without AUTH. */
    static final int MIN_PREFIX_V4 = 8;
    static final int MIN_PREFIX_V6 = 16;

    /** Parses CIDR notation; a bare address is a single host. Host bits must be zero. */
    public static Network parse(String text) {
        var slash = text.indexOf('/');
        var addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + addressText + "' is not an IP address");
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length of '" + text + "' must be 0 to " + bits);
        }
        if (prefix < (bits == 32 ? MIN_PREFIX_V4 : MIN_PREFIX_V6)) {
            throw new IllegalArgumentException("'" + text + "' is too broad to submit without AUTH");
        }
        var network = new Network(address, prefix);
        if (!java.util.Arrays.equals(network.masked(address.getAddress()), address.getAddress())) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean " + network.canonical() + "?");
        }
        return network;
    }

    public boolean contains(InetAddress candidate) {
        var bytes = candidate.getAddress();
        return bytes.length == address.getAddress().length
                && java.util.Arrays.equals(masked(bytes), masked(address.getAddress()));
    }

    public String canonical() {
        try {
            // RFC 5952 text: 2001:db8::/32, not 2001:db8:0:0:0:0:0:0/32
            return com.google.common.net.InetAddresses.toAddrString(InetAddress.getByAddress(masked(address.getAddress()))) + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] masked(byte[] bytes) {
        var result = bytes.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            result[i] &= (byte) (0xff << (8 - keep));
        }
        return result;
    }
}
