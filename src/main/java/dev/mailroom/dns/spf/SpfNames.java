package dev.mailroom.dns.spf;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The domain names SPF handles. They are looser than host names: a macro can produce any
 * visible character ({@code foo:bar/baz.example.com} is a legal name to query), so only what
 * DNS itself forbids is refused: empty labels, labels over 63 and names over 253 characters.
 */
final class SpfNames {
    static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;
    /** RFC 7208 section 7.1, toplabel: letters and digits but not only digits, or with inner hyphens. */
    private static final Pattern TOP_LABEL = Pattern.compile("[a-zA-Z0-9]*[a-zA-Z][a-zA-Z0-9]*|[a-zA-Z0-9]+-[a-zA-Z0-9-]*[a-zA-Z0-9]");

    private SpfNames() {}

    static boolean isTopLabel(String label) {
        return TOP_LABEL.matcher(label).matches();
    }

    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * The name to query for an expanded domain-spec: the trailing dot goes, and an overlong name
     * loses labels from the left until it fits (RFC 7208 section 7.3).
     */
    static String forQuery(String expanded) {
        var name = withoutTrailingDot(expanded);
        while (name.length() > MAX_NAME && name.indexOf('.') >= 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return name;
    }

    /** Whether DNS can be asked about the name at all. */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (var label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                return false;
            }
        }
        return true;
    }

    /**
     * The initial check of RFC 7208 section 4.3: a name of two labels or more that ends in a
     * real top label. Domain literals ({@code [192.0.2.1]}) and bare host names fail it.
     */
    static boolean isCheckable(String domain) {
        int lastDot = domain.lastIndexOf('.');
        return isQueryable(domain) && lastDot > 0 && isTopLabel(domain.substring(lastDot + 1));
    }

    static boolean isSameOrUnder(String name, String domain) {
        var lowerName = name.toLowerCase(Locale.ROOT);
        var lowerDomain = domain.toLowerCase(Locale.ROOT);
        return lowerName.equals(lowerDomain) || lowerName.endsWith("." + lowerDomain);
    }
}
