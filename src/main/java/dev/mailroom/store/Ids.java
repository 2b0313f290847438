package dev.mailroom.store;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Identifiers of the form {@code prefix_} + 26 characters of Crockford base32: 48 bits of
 * milliseconds then 80 random bits (the ULID layout), so ids sort by creation time and a
 * list paged by id reads oldest first.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public String next(String prefix) {
        var chars = new char[26];
        long time = clock.millis();
        for (int i = 9; i >= 0; i--) {
            chars[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        var bytes = new byte[10];
        random.nextBytes(bytes);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            chars[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            chars[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return prefix + "_" + new String(chars);
    }
}
