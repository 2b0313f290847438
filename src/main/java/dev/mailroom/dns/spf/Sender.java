package dev.mailroom.dns.spf;

/**
 * The identity being checked (RFC 7208 sections 2.4 and 4.3): the MAIL FROM address, or
 * {@code postmaster@} the HELO name when MAIL FROM is empty (bounces); an empty local part is
 * also {@code postmaster}.
 */
record Sender(String localPart, String domain) {
    private static final String POSTMASTER = "postmaster";

    static Sender of(String mailFrom, String helo) {
        if (mailFrom.isEmpty()) {
            return new Sender(POSTMASTER, helo);
        }
        int at = mailFrom.lastIndexOf('@');
        if (at < 0) {
            // Not an address; the whole of it can only be meant as a domain.
            return new Sender(POSTMASTER, mailFrom);
        }
        var localPart = mailFrom.substring(0, at);
        return new Sender(localPart.isEmpty() ? POSTMASTER : localPart, mailFrom.substring(at + 1));
    }

    String address() {
        return localPart + "@" + domain;
    }
}
