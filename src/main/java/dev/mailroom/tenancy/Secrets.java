package dev.mailroom.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generated secrets (API keys, SMTP passwords) and their stored form. The secrets carry 256
 * random bits, so a plain SHA-256 is as strong a one-way store as a slow password hash
 * and lets every request be checked cheaply.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** 32 random bytes in URL-safe base64, no padding (43 characters). */
    public static String generate() {
        var bytes = new byte[32];
        String secret;
        do {
            RANDOM.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (secret.startsWith("-")); // command-line tools (swaks, curl -u) read a leading '-' as an option
        return secret;
    }

    /** Lower-case letters and digits, for names that must be valid DNS labels. */
    public static String dnsToken(int length) {
        var alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[length];
        chars[0] = alphabet.charAt(RANDOM.nextInt(26));
        for (int i = 1; i < length; i++) {
            chars[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    public static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Compares a presented secret with a stored hash in time independent of where they differ. */
    public static boolean matches(String presented, String storedHash) {
        return MessageDigest.isEqual(
                hash(presented).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
