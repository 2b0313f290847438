package dev.mailroom.dns;

import java.util.Locale;

/** DMARC identifier alignment (RFC 7489 3.1): does an authenticated domain stand for the From domain? */
public final class Alignment {
    public enum Mode { RELAXED, STRICT }

    private Alignment() {}

    /**
     * Strict: the two names are the same. Relaxed: they share an organisational domain
     * (so {@code rp.news.clienta.com} aligns with {@code news.clienta.com}).
     */
    public static boolean aligned(String authenticatedDomain, String fromDomain, Mode mode) {
        var authenticated = canonical(authenticatedDomain);
        var from = canonical(fromDomain);
        if (authenticated.equals(from)) {
            return true;
        }
        return mode == Mode.RELAXED
                && DomainNames.organisationalDomain(authenticated).equals(DomainNames.organisationalDomain(from));
    }

    private static String canonical(String name) {
        var lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
