package dev.mailroom.message;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * VERP return paths: {@code b-<message id>-<recipient index>-<mac>@rp.<sending domain>}. A bounce
 * to that address names the message and recipient it is about; the HMAC (truncated to 50 bits,
 * base32) makes a forged or altered address fail, so nobody can suppress another's recipients
 * by sending fake bounces.
 */
public final class Verp {
    private static final String PREFIX = "b-";
    private static final Pattern LOCAL_PART = Pattern.compile("b-([0-9a-z_]+)-([0-9]{1,5})-([0-9a-z]{10})");
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final SecretKeySpec key;

    /** @param secret at least 32 bytes, kept across restarts (bounces arrive days later) */
    public Verp(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a VERP secret has at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Where the message's bounces for one recipient go. */
    public record Target(String messageId, int recipientIndex) {}

    public String returnPath(String messageId, int recipientIndex, String returnPathDomain) {
        if (!messageId.matches("[0-9a-z_]+")) {
            throw new IllegalArgumentException("message ids are lower-case letters, digits and _: " + messageId);
        }
        if (recipientIndex < 0 || recipientIndex > 99_999) {
            throw new IllegalArgumentException("a recipient index is 0 to 99999, got " + recipientIndex);
        }
        var local = PREFIX + messageId + "-" + recipientIndex + "-" + mac(messageId, recipientIndex);
        if (local.length() > 64) {
            throw new IllegalArgumentException("message id " + messageId + " is too long for a return path (64-character local part)");
        }
        return local + "@" + returnPathDomain;
    }

    /** The message and recipient a bounce address names, if its MAC is right. */
    public Optional<Target> decode(String address) {
        int at = address.lastIndexOf('@');
        var local = (at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
        var matcher = LOCAL_PART.matcher(local);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        var messageId = matcher.group(1);
        int index = Integer.parseInt(matcher.group(2));
        var expected = mac(messageId, index).getBytes(StandardCharsets.US_ASCII);
        var given = matcher.group(3).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(new Target(messageId, index)) : Optional.empty();
    }

    private String mac(String messageId, int index) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            var digest = mac.doFinal((messageId + "/" + index).getBytes(StandardCharsets.US_ASCII));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            var text = new char[10];
            for (int i = 0; i < 10; i++) {
                text[i] = BASE32[(int) ((bits >>> (59 - 5 * i)) & 31)];
            }
            return new String(text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
