package dev.mailroom.dns;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax of DNS host names (RFC 1123) and organisational domains (RFC 7489, via the Public Suffix List). */
public final class DomainNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private DomainNames() {}

    /**
     * Returns the canonical form of a host name (lower case, A-labels, no trailing dot),
     * or throws {@link InvalidDomainNameException} saying what is wrong with it.
     */
    public static String normalise(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidDomainNameException("is empty");
        }
        // the same few names (senders' domains, big mailbox providers) come by on every message
        var known = NORMALISED.get(input);
        if (known != null) {
            return known;
        }
        var result = checkedAsciiName(input);
        if (NORMALISED.size() >= NORMALISED_MAX) {
            NORMALISED.clear();
        }
        NORMALISED.put(input, result);
        return result;
    }

    private static final int NORMALISED_MAX = 10_000;
    private static final java.util.concurrent.ConcurrentHashMap<String, String> NORMALISED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String checkedAsciiName(String input) {
        var name = input.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            for (var label : name.split("\\.")) {
                if (label.length() > 63) {
                    throw new InvalidDomainNameException("has a label longer than 63 characters");
                }
            }
            throw new InvalidDomainNameException("is not a valid host name: letters, digits and hyphens in dot-separated labels");
        }
        if (name.length() > 253) {
            throw new InvalidDomainNameException("is longer than 253 characters");
        }
        var labels = name.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidDomainNameException("needs at least two labels, e.g. news.example.com");
        }
        for (var label : labels) {
            if (label.isEmpty()) {
                throw new InvalidDomainNameException("has an empty label");
            }
            if (label.length() > 63) {
                throw new InvalidDomainNameException("has a label longer than 63 characters");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidDomainNameException("has an invalid label '" + label + "': letters, digits and inner hyphens only");
            }
        }
        if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            throw new InvalidDomainNameException("is an address, not a domain name");
        }
        if (isPublicSuffix(name)) {
            throw new InvalidDomainNameException("is a public suffix; use a domain registered under it");
        }
        return name;
    }

    /**
     * The organisational domain: the public suffix plus one label. A name under no suffix on
     * the list (e.g. {@code .example}, {@code .test}) falls to the list's default rule, which
     * takes the last label as the suffix.
     */
    public static String organisationalDomain(String name) {
        var parsed = InternetDomainName.from(name);
        if (parsed.isUnderPublicSuffix()) {
            return parsed.topPrivateDomain().toString();
        }
        if (parsed.isPublicSuffix()) {
            return name;
        }
        var labels = name.split("\\.");
        return labels.length < 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    public static boolean isPublicSuffix(String name) {
        return InternetDomainName.isValid(name) && InternetDomainName.from(name).isPublicSuffix();
    }
}
