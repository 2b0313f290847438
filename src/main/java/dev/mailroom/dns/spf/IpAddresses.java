package dev.mailroom.dns.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/** The address forms SPF needs: plain IPv4 for mapped clients, and the texts of the i and c macros. */
final class IpAddresses {
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpAddresses() {}

    /** An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is an IPv4 client (RFC 7208 section 5). */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return byAddress(Arrays.copyOfRange(bytes, 12, 16));
        }
        return address;
    }

    /** An IPv6 network written in IPv4-mapped form must stay IPv6, so it never matches IPv4 clients. */
    static InetAddress mapped(Inet4Address address) {
        byte[] bytes = Arrays.copyOf(MAPPED_PREFIX, 16);
        System.arraycopy(address.getAddress(), 0, bytes, 12, 4);
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes always make an IPv6 address", e);
        }
    }

    /** The i macro: dotted quad, or 32 dot-separated upper-case nibbles (RFC 7208 section 7.3). */
    static String dotted(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        var hex = HexFormat.of().withUpperCase().formatHex(address.getAddress());
        return String.join(".", hex.split(""));
    }

    /** The c macro: dotted quad, or the RFC 5952 compressed IPv6 form. */
    static String readable(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups becomes "::", the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < 8; start++) {
            int length = 0;
            while (start + length < 8 && groups[start + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        var text = new StringBuilder();
        int i = 0;
        while (i < 8) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
            i++;
        }
        return text.toString();
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes always make an IPv4 address", e);
        }
    }
}
