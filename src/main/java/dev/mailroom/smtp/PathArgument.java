package dev.mailroom.smtp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The argument of MAIL FROM or RCPT TO: a path (RFC 5321 §4.1.2, widened to UTF-8 by RFC 6531
 * §3.3) and its ESMTP parameters, keywords in upper case. A source route ({@code <@a,@b:x@c>}) is
 * accepted and dropped, as §4.1.1.3 asks.
 *
 * @param address the mailbox, "" for the null path {@code <>}
 * @param params keyword to value, null for a keyword without one
 */
record PathArgument(String address, Map<String, String> params) {
    private static final String UTF8 = "\\x{80}-\\x{10FFFF}";
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-" + UTF8 + "]+";
    private static final String QUOTED = "\"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E" + UTF8 + "]|\\\\[\\x20-\\x7E])*\"";
    private static final String LABEL = "[A-Za-z0-9" + UTF8 + "](?:[A-Za-z0-9\\-" + UTF8 + "]*[A-Za-z0-9" + UTF8 + "])?";
    private static final String DOMAIN = LABEL + "(?:\\." + LABEL + ")*";
    private static final Pattern MAILBOX = Pattern.compile(
            "(" + ATOM + "(?:\\." + ATOM + ")*|" + QUOTED + ")@(" + DOMAIN + "|\\[[^\\[\\]\\\\]+\\])");
    private static final Pattern SOURCE_ROUTE = Pattern.compile("@" + DOMAIN + "(?:,@" + DOMAIN + ")*:");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern PARAM = Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]*)(?:=([\\x21-\\x3C\\x3E-\\x7E]+))?");
    /** RFC 5321 §4.5.3.1: local part 64 octets, domain 255, whole path with its brackets 256. */
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_PATH = 256;

    /**
     * Parses {@code FROM:<path> params} or {@code TO:<path> params}; a space after the colon is
     * tolerated, as many clients send one.
     *
     * @param keyword "FROM:" or "TO:"
     * @param badAddress the enhanced code for a malformed address: 5.1.7 (sender) or 5.1.3 (recipient)
     */
    static PathArgument parse(String argument, String keyword, String badAddress) throws Refusal {
        var syntax = "Syntax: " + (keyword.equals("FROM:") ? "MAIL FROM:<address>" : "RCPT TO:<address>");
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw new Refusal(501, "5.5.4", syntax);
        }
        int open = keyword.length();
        while (open < argument.length() && argument.charAt(open) == ' ') {
            open++;
        }
        if (open == argument.length() || argument.charAt(open) != '<') {
            throw new Refusal(501, "5.5.4", syntax);
        }
        int close = closingBracket(argument, open + 1);
        if (close < 0) {
            throw new Refusal(501, badAddress, "Address lacks its closing '>'");
        }
        var path = argument.substring(open + 1, close);
        var rest = argument.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            throw new Refusal(501, "5.5.4", syntax);
        }
        if (path.getBytes(StandardCharsets.UTF_8).length + 2 > MAX_PATH) {
            throw new Refusal(501, badAddress, "Path too long");
        }
        var route = SOURCE_ROUTE.matcher(path);
        boolean routed = route.lookingAt();
        var address = routed ? path.substring(route.end()) : path;
        if (!address.isEmpty() || routed) {
            checkMailbox(address, badAddress);
        }
        return new PathArgument(address, params(rest.strip()));
    }

    private static int closingBracket(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static void checkMailbox(String address, String badAddress) throws Refusal {
        var matcher = MAILBOX.matcher(address);
        if (!matcher.matches()) {
            throw new Refusal(501, badAddress, "Bad address syntax: <" + address + ">");
        }
        var local = matcher.group(1);
        var domain = matcher.group(2);
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL) {
            throw new Refusal(501, badAddress, "Local part longer than 64 octets");
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(domain.substring(1, domain.length() - 1), badAddress);
            return;
        }
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN) {
            throw new Refusal(501, badAddress, "Domain longer than 255 octets");
        }
        for (var label : domain.split("\\.")) {
            if (label.getBytes(StandardCharsets.UTF_8).length > 63) {
                throw new Refusal(501, badAddress, "Domain label longer than 63 octets");
            }
        }
    }

    private static void checkAddressLiteral(String literal, String badAddress) throws Refusal {
        if (IPV4.matcher(literal).matches()) {
            return;
        }
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            var ip = literal.substring(5);
            try {
                if (ip.indexOf(':') >= 0 && ip.indexOf('%') < 0 && InetAddress.ofLiteral(ip) instanceof Inet6Address) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                // falls through to the refusal
            }
        }
        throw new Refusal(501, badAddress, "Bad address literal: [" + literal + "]");
    }

    private static Map<String, String> params(String text) throws Refusal {
        var params = new LinkedHashMap<String, String>();
        if (text.isEmpty()) {
            return params;
        }
        for (var param : text.split(" +")) {
            var matcher = PARAM.matcher(param);
            if (!matcher.matches()) {
                throw new Refusal(501, "5.5.4", "Bad parameter syntax: " + param);
            }
            if (params.containsKey(matcher.group(1).toUpperCase(Locale.ROOT))) {
                throw new Refusal(501, "5.5.4", "Parameter given twice: " + matcher.group(1));
            }
            params.put(matcher.group(1).toUpperCase(Locale.ROOT), matcher.group(2));
        }
        return params;
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }
}
