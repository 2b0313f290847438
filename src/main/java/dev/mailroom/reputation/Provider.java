package dev.mailroom.reputation;

import com.google.common.net.InternetDomainName;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mailbox provider a recipient belongs to, as far as reputation goes: the big three keep
 * their own reputation per sender and set their own limits, so their figures are told apart.
 * Known from the MX host that answered (which also catches company domains hosted by Google or
 * Microsoft), else from the recipient's domain.
 */
public enum Provider {
    GMAIL(List.of("google.com", "googlemail.com"), Set.of("gmail.com", "googlemail.com"), Set.of()),
    MICROSOFT(List.of("outlook.com", "hotmail.com"), Set.of("outlook.com", "msn.com"), Set.of("hotmail", "live")),
    YAHOO(List.of("yahoodns.net", "yahoo.com"), Set.of("aol.com", "ymail.com"), Set.of("yahoo")),
    OTHER(List.of(), Set.of(), Set.of());

    /** Suffixes of MX host names (protection.outlook.com is under outlook.com). */
    private final List<String> mxSuffixes;
    /** Recipient domains, exactly. */
    private final Set<String> domains;
    /** Recipient domains by the name before their public suffix: hotmail.co.uk, yahoo.fr. */
    private final Set<String> brands;

    Provider(List<String> mxSuffixes, Set<String> domains, Set<String> brands) {
        this.mxSuffixes = mxSuffixes;
        this.domains = domains;
        this.brands = brands;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Provider fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** By the MX host when there is one, else by the recipient's address; {@link #OTHER} when neither tells. */
    public static Provider of(String mxHost, String recipient) {
        var byHost = mxHost == null || mxHost.isBlank() ? OTHER : ofMxHost(mxHost);
        return byHost != OTHER || recipient == null ? byHost : ofAddress(recipient);
    }

    public static Provider ofMxHost(String host) {
        var name = normalized(host);
        for (var provider : values()) {
            for (var suffix : provider.mxSuffixes) {
                if (name.equals(suffix) || name.endsWith("." + suffix)) {
                    return provider;
                }
            }
        }
        return OTHER;
    }

    public static Provider ofAddress(String address) {
        int at = address.lastIndexOf('@');
        var domain = normalized(address.substring(at + 1));
        var brand = brand(domain);
        for (var provider : values()) {
            if (provider.domains.contains(domain) || brand != null && provider.brands.contains(brand)) {
                return provider;
            }
        }
        return OTHER;
    }

    /** The label before the public suffix ("hotmail" of hotmail.co.uk), null when the name has none. */
    private static String brand(String domain) {
        try {
            var name = InternetDomainName.from(domain);
            if (!name.isUnderPublicSuffix()) {
                return null;
            }
            return name.topPrivateDomain().parts().getFirst();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    private static String normalized(String name) {
        var lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
