package dev.mailroom.store;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Identifiers of the form {@code prefix_} + 26 characters of Crockford base32: 48 bits of
 * milliseconds then 80 random bits (the ULID layout), so ids sort by creation time and a list
 * paged by id reads oldest first. Within one millisecond the random part counts up from the
 * first one drawn (ULID's monotonic mode), so ids made in quick succession sort in order too.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final long FORTY_BITS = (1L << 40) - 1;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long high; // the upper 40 random bits
    private long low; // the lower 40 random bits

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public synchronized String next(String prefix) {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            high = random.nextLong() & FORTY_BITS;
            low = random.nextLong() & FORTY_BITS;
        } else {
            // same millisecond (or the clock stepped back): count up, carrying into the upper bits
            low = (low + 1) & FORTY_BITS;
            if (low == 0) {
                high = (high + 1) & FORTY_BITS;
            }
        }
        var chars = new char[26];
        writeTime(chars, lastMillis);
        long h = high;
        for (int i = 17; i >= 10; i--) {
            chars[i] = ALPHABET[(int) (h & 31)];
            h >>>= 5;
        }
        long l = low;
        for (int i = 25; i >= 18; i--) {
            chars[i] = ALPHABET[(int) (l & 31)];
            l >>>= 5;
        }
        return prefix + "_" + new String(chars);
    }

    /**
     * The smallest id of {@code prefix} made at {@code at}'s millisecond: every id made earlier
     * sorts below it, so it bounds a range of ids by time.
     */
    public static String first(String prefix, java.time.Instant at) {
        var chars = new char[26];
        writeTime(chars, at.toEpochMilli());
        java.util.Arrays.fill(chars, 10, 26, ALPHABET[0]);
        return prefix + "_" + new String(chars);
    }

    private static void writeTime(char[] chars, long millis) {
        for (int i = 9; i >= 0; i--) {
            chars[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
    }
}
