package dev.mailroom.dkim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets with AES-256-GCM under the master key. The sealed text is
 * {@code v1:} + base64(12-byte nonce || ciphertext || 16-byte tag). The caller's context
 * (e.g. the key's id) is bound in as associated data, so a sealed value copied onto
 * another row does not open.
 */
public final class SecretSealer {
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    public String seal(byte[] secret, String context) {
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            var cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            var sealed = ByteBuffer.allocate(NONCE_BYTES + secret.length + TAG_BITS / 8);
            sealed.put(nonce).put(cipher.doFinal(secret));
            return VERSION + Base64.getEncoder().encodeToString(sealed.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public byte[] open(String sealed, String context) {
        if (!sealed.startsWith(VERSION)) {
            throw new SealException("sealed value has an unknown format");
        }
        var bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealException("sealed value is truncated");
        }
        try {
            var cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES), context);
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealException("sealed value does not open: wrong master key, or it was altered or moved");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed value that cannot be opened with this master key and context. */
    public static final class SealException extends RuntimeException {
        public SealException(String message) {
            super(message);
        }
    }
}
