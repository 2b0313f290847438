package dev.mailroom.dns.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code v=spf1} record into an {@link SpfRecord} (RFC 7208 sections 4.5, 4.6, 5, 6
 * and appendix A). The whole record is checked before anything is evaluated, because a syntax
 * error anywhere makes the result permerror, even after a directive that would have matched.
 */
public final class SpfParser {
    private static final String VERSION = "v=spf1";
    /** A term is a modifier when a name is followed by '=' before any ':' or '/' (section 4.6.1). */
    private static final Pattern MODIFIER = Pattern.compile("([a-zA-Z][a-zA-Z0-9._-]*)=(.*)");
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/([0-9]+))?(?://([0-9]+))?");
    /** The shortest domain-spec that leaves a well-formed dual-cidr-length behind it. */
    private static final Pattern DOMAIN_AND_DUAL_CIDR = Pattern.compile(":(.*?)" + DUAL_CIDR.pattern());
    private static final Pattern IP4_NETWORK = Pattern.compile(":([0-9.]+)(?:/([0-9]+))?");
    private static final Pattern IP6_NETWORK = Pattern.compile(":([0-9a-fA-F:.]+)(?:/([0-9]+))?");
    private static final Pattern QNUM = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]");
    private static final Pattern CIDR_DIGITS = Pattern.compile("0|[1-9][0-9]*");

    private SpfParser() {}

    /** Whether a TXT record is an SPF record: "v=spf1", in any case, then a space or the end. */
    public static boolean isSpfRecord(String txt) {
        return txt.regionMatches(true, 0, VERSION, 0, VERSION.length())
                && (txt.length() == VERSION.length() || txt.charAt(VERSION.length()) == ' ');
    }

    /** Parses a record; throws {@link InvalidSpfRecordException} saying what is wrong. */
    public static SpfRecord parse(String text) {
        if (!isSpfRecord(text)) {
            throw new InvalidSpfRecordException("does not start with '" + VERSION + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidSpfRecordException(String.format("character U+%04X: records are printable ASCII separated by spaces", (int) c));
            }
        }
        var directives = new ArrayList<Directive>();
        MacroString redirect = null;
        MacroString explanation = null;
        for (var term : text.substring(VERSION.length()).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            var modifier = MODIFIER.matcher(term);
            if (!modifier.matches()) {
                directives.add(directive(term));
                continue;
            }
            var value = modifier.group(2);
            switch (modifier.group(1).toLowerCase(Locale.ROOT)) {
                case "redirect" -> {
                    if (redirect != null) {
                        throw new InvalidSpfRecordException("redirect= appears twice");
                    }
                    redirect = domainSpec(value, term);
                }
                case "exp" -> {
                    if (explanation != null) {
                        throw new InvalidSpfRecordException("exp= appears twice");
                    }
                    explanation = domainSpec(value, term);
                }
                // An unknown modifier changes nothing (section 6), but its value must still be a macro-string.
                default -> MacroString.parse(value);
            }
        }
        return new SpfRecord(directives, Optional.ofNullable(redirect), Optional.ofNullable(explanation));
    }

    private static Directive directive(String term) {
        var qualifier = Qualifier.of(term.charAt(0));
        var unqualified = qualifier.isPresent() ? term.substring(1) : term;
        int nameEnd = nameEnd(unqualified);
        var name = unqualified.substring(0, nameEnd).toLowerCase(Locale.ROOT);
        var arguments = unqualified.substring(nameEnd);
        Mechanism mechanism = switch (name) {
            case "all" -> {
                if (!arguments.isEmpty()) {
                    throw new InvalidSpfRecordException("'" + term + "': all takes no arguments");
                }
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(requiredDomainSpec(arguments, term));
            case "exists" -> new Mechanism.Exists(requiredDomainSpec(arguments, term));
            case "a" -> {
                var target = domainAndCidr(arguments, term);
                yield new Mechanism.A(target.domain(), target.cidr());
            }
            case "mx" -> {
                var target = domainAndCidr(arguments, term);
                yield new Mechanism.Mx(target.domain(), target.cidr());
            }
            case "ptr" -> {
                if (!arguments.isEmpty() && !arguments.startsWith(":")) {
                    throw new InvalidSpfRecordException("'" + term + "': ptr takes no prefix length");
                }
                yield new Mechanism.Ptr(arguments.isEmpty() ? Optional.empty() : Optional.of(domainSpec(arguments.substring(1), term)));
            }
            case "ip4" -> new Mechanism.Ip(ip4Network(arguments, term));
            case "ip6" -> new Mechanism.Ip(ip6Network(arguments, term));
            default -> throw new InvalidSpfRecordException("'" + term + "' is not a mechanism or a modifier");
        };
        return new Directive(qualifier.orElse(Qualifier.PASS), mechanism);
    }

    private static int nameEnd(String term) {
        for (int i = 0; i < term.length(); i++) {
            if (term.charAt(i) == ':' || term.charAt(i) == '/') {
                return i;
            }
        }
        return term.length();
    }

    private static MacroString requiredDomainSpec(String arguments, String term) {
        if (!arguments.startsWith(":")) {
            throw new InvalidSpfRecordException("'" + term + "' needs ':' and a domain");
        }
        return domainSpec(arguments.substring(1), term);
    }

    /**
     * A domain-spec must end in a macro or in "." and a top label, optionally with a final dot
     * (section 7.1): that rules out {@code a:museum}, {@code a:1.2.3.4} and {@code a:example.com:8080}.
     */
    private static MacroString domainSpec(String text, String term) {
        if (text.isEmpty()) {
            throw new InvalidSpfRecordException("'" + term + "' has an empty domain");
        }
        var spec = MacroString.parse(text);
        if (spec.endsWithExpansion()) {
            return spec;
        }
        var last = ((MacroString.Literal) spec.parts().getLast()).text();
        var withoutDot = SpfNames.withoutTrailingDot(last);
        int dot = withoutDot.lastIndexOf('.');
        if (dot < 0 || !SpfNames.isTopLabel(withoutDot.substring(dot + 1))) {
            throw new InvalidSpfRecordException("'" + term + "': the domain must end in a macro or a valid top-level label");
        }
        return spec;
    }

    private record Target(Optional<MacroString> domain, CidrLengths cidr) {}

    private static Target domainAndCidr(String arguments, String term) {
        if (arguments.startsWith(":")) {
            var matcher = DOMAIN_AND_DUAL_CIDR.matcher(arguments);
            if (!matcher.matches()) {
                throw new IllegalStateException("every string after ':' has a (possibly empty) dual-cidr suffix");
            }
            return new Target(Optional.of(domainSpec(matcher.group(1), term)), cidr(matcher, 2, term));
        }
        var matcher = DUAL_CIDR.matcher(arguments);
        if (!matcher.matches()) {
            throw new InvalidSpfRecordException("'" + term + "': expected ':domain', '/ip4-length' or '//ip6-length'");
        }
        return new Target(Optional.empty(), cidr(matcher, 1, term));
    }

    private static CidrLengths cidr(Matcher matcher, int firstGroup, String term) {
        return new CidrLengths(
                prefixLength(matcher.group(firstGroup), 32, term),
                prefixLength(matcher.group(firstGroup + 1), 128, term));
    }

    private static int prefixLength(String digits, int max, String term) {
        if (digits == null) {
            return max;
        }
        if (!CIDR_DIGITS.matcher(digits).matches() || digits.length() > 3 || Integer.parseInt(digits) > max) {
            throw new InvalidSpfRecordException("'" + term + "': prefix length must be 0 to " + max + " without leading zeros");
        }
        return Integer.parseInt(digits);
    }

    private static IpNetwork ip4Network(String arguments, String term) {
        var matcher = IP4_NETWORK.matcher(arguments);
        var quads = matcher.matches() ? matcher.group(1).split("\\.", -1) : new String[0];
        if (quads.length != 4 || !allMatch(quads)) {
            throw new InvalidSpfRecordException("'" + term + "': expected ip4:a.b.c.d with an optional /length");
        }
        return new IpNetwork(InetAddress.ofLiteral(matcher.group(1)), prefixLength(matcher.group(2), 32, term));
    }

    private static boolean allMatch(String[] quads) {
        for (var quad : quads) {
            if (!QNUM.matcher(quad).matches()) {
                return false;
            }
        }
        return true;
    }

    private static IpNetwork ip6Network(String arguments, String term) {
        var matcher = IP6_NETWORK.matcher(arguments);
        InetAddress address;
        try {
            address = matcher.matches() ? Inet6Address.ofLiteral(matcher.group(1)) : null;
        } catch (IllegalArgumentException e) {
            address = null;
        }
        if (address == null) {
            throw new InvalidSpfRecordException("'" + term + "': expected ip6:address with an optional /length");
        }
        // The JDK turns "::ffff:a.b.c.d" into IPv4; as an ip6 network it must stay IPv6.
        var network = address instanceof Inet4Address mapped ? IpAddresses.mapped(mapped) : address;
        return new IpNetwork(network, prefixLength(matcher.group(2), 128, term));
    }
}
