package dev.mailroom.dkim;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The 256-bit AES key under which secrets (DKIM private keys) are sealed at rest. */
public final class MasterKey {
    public static final int BYTES = 32;
    private final SecretKey key;

    private MasterKey(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a master key is " + BYTES + " bytes (base64 of 32 random bytes), got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public static MasterKey generate() {
        var bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return new MasterKey(bytes);
    }

    /** Parses the base64 form, as written to the key file or given in MAILROOM_MASTER_KEY. */
    public static MasterKey fromBase64(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a master key is base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        try {
            return new MasterKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * A 32-byte secret for one purpose ("verp", "tracking"), derived as HMAC-SHA256(master key,
     * purpose): stable across restarts and nodes sharing the master key, and unrelated between
     * purposes, so a MAC made for one can never pass for another.
     */
    public byte[] derive(String purpose) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("mailroom/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
