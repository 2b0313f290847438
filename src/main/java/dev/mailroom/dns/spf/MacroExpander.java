package dev.mailroom.dns.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Expands macro-strings for one check (RFC 7208 section 7). The p macro costs DNS lookups, so
 * its value is asked of {@code validatedName} only when a string uses it.
 */
final class MacroExpander {
    private static final String UNRESERVED = "-._~";
    private final Sender sender;
    private final String helo;
    private final InetAddress client;
    private final String receivingHost;
    private final Instant now;
    private final UnaryOperator<String> validatedName;

    /** @param validatedName gives the client's validated reverse name for the current domain, or "unknown" */
    MacroExpander(Sender sender, String helo, InetAddress client, String receivingHost, Instant now,
            UnaryOperator<String> validatedName) {
        this.sender = sender;
        this.helo = helo;
        this.client = client;
        this.receivingHost = receivingHost;
        this.now = now;
        this.validatedName = validatedName;
    }

    /** Expands {@code string} with {@code domain} as the value of the d macro. */
    String expand(MacroString string, String domain) {
        var out = new StringBuilder();
        for (var part : string.parts()) {
            switch (part) {
                case MacroString.Literal literal -> out.append(literal.text());
                case MacroString.Escape escape -> out.append(escape.expansion());
                case MacroString.Macro macro -> out.append(transform(value(macro.letter(), domain), macro));
            }
        }
        return out.toString();
    }

    private String value(char letter, String domain) {
        return switch (letter) {
            case 's' -> sender.address();
            case 'l' -> sender.localPart();
            case 'o' -> sender.domain();
            case 'd' -> domain;
            case 'i' -> IpAddresses.dotted(client);
            case 'p' -> validatedName.apply(domain);
            case 'v' -> client instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> IpAddresses.readable(client);
            case 'r' -> receivingHost;
            case 't' -> Long.toString(now.getEpochSecond());
            default -> throw new IllegalStateException("the parser admits no macro letter '" + letter + "'");
        };
    }

    private static String transform(String value, MacroString.Macro macro) {
        List<String> parts = split(value, macro.delimiters());
        if (macro.reverse()) {
            Collections.reverse(parts);
        }
        if (macro.rightmost() < parts.size()) {
            parts = parts.subList(parts.size() - macro.rightmost(), parts.size());
        }
        var joined = String.join(".", parts);
        return macro.urlEscape() ? urlEscape(joined) : joined;
    }

    private static List<String> split(String value, String delimiters) {
        var parts = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts;
    }

    /** Upper-case macro letters are URL-escaped: everything but RFC 3986's unreserved characters. */
    private static String urlEscape(String text) {
        var out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
