package dev.mailroom.smtp;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ESMTP extensions a server advertised in its EHLO reply, as far as the client uses them.
 *
 * @param size SIZE (RFC 1870) when offered: the largest message the server takes, 0 for no fixed limit
 * @param auth the SASL mechanisms of AUTH (RFC 4954), in upper case
 */
public record Extensions(boolean pipelining, boolean eightBitMime, boolean smtputf8, boolean enhancedStatusCodes, boolean startTls,
        OptionalLong size, Set<String> auth) {
    /** What a server that only knows HELO offers. */
    public static final Extensions NONE = new Extensions(false, false, false, false, false, OptionalLong.empty(), Set.of());

    public Extensions {
        auth = Set.copyOf(auth);
    }

    /** Reads the lines of an EHLO reply after the first (the server's name); unknown keywords are ignored. */
    static Extensions parse(SmtpReply ehlo) {
        boolean pipelining = false;
        boolean eightBitMime = false;
        boolean smtputf8 = false;
        boolean enhancedStatusCodes = false;
        boolean startTls = false;
        var size = OptionalLong.empty();
        var auth = new TreeSet<String>();
        for (var line : ehlo.lines().subList(1, ehlo.lines().size())) {
            var words = line.strip().toUpperCase(Locale.ROOT).split("[ =]+");
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtputf8 = true;
                case "ENHANCEDSTATUSCODES" -> enhancedStatusCodes = true;
                case "STARTTLS" -> startTls = true;
                case "SIZE" -> size = OptionalLong.of(words.length > 1 && words[1].matches("[0-9]{1,18}") ? Long.parseLong(words[1]) : 0);
                // "AUTH=LOGIN PLAIN" is how some servers still write it for clients older than RFC 2554
                case "AUTH" -> auth.addAll(Arrays.asList(words).subList(1, words.length));
                default -> {
                    // an extension this client does not use
                }
            }
        }
        return new Extensions(pipelining, eightBitMime, smtputf8, enhancedStatusCodes, startTls, size, auth);
    }
}
