package dev.mailroom.dkim;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A DKIM key record (RFC 6376 3.6.1): {@code v}, {@code k}, {@code p}, {@code t}, {@code h}, {@code s}.
 * An empty {@code p=} means the key was revoked.
 */
public record DkimKeyRecord(DkimAlgorithm algorithm, byte[] publicKey, List<String> flags, List<String> hashes, List<String> services) {

    public static DkimKeyRecord parse(String text) {
        var tags = TagList.parse(text);
        var version = tags.get("v");
        if (version.isPresent() && !version.get().equals("DKIM1")) {
            throw new IllegalArgumentException("v= must be DKIM1, got '" + version.get() + "'");
        }
        if (version.isPresent() && !tags.tags().keySet().iterator().next().equals("v")) {
            throw new IllegalArgumentException("v= must come first");
        }
        var keyType = tags.get("k").orElse("rsa").toLowerCase(Locale.ROOT);
        var algorithm = switch (keyType) {
            case "rsa" -> DkimAlgorithm.RSA_SHA256;
            case "ed25519" -> DkimAlgorithm.ED25519_SHA256;
            default -> throw new IllegalArgumentException("unknown key type k=" + keyType);
        };
        var p = TagList.withoutWhitespace(tags.require("p"));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("p= is not base64");
        }
        return new DkimKeyRecord(algorithm, key, list(tags.get("t").orElse("")), list(tags.get("h").orElse("")),
                list(tags.get("s").orElse("*")));
    }

    /** The public key itself, from p= (SubjectPublicKeyInfo or bare PKCS#1 for RSA, 32 bytes for Ed25519). */
    public java.security.PublicKey toPublicKey() throws java.security.GeneralSecurityException {
        return DkimCrypto.publicKey(algorithm, publicKey);
    }

    public boolean revoked() {
        return publicKey.length == 0;
    }

    /** {@code t=y}: the domain is testing DKIM; verifiers must not treat failures differently from unsigned mail. */
    public boolean testing() {
        return flags.contains("y");
    }

    /** {@code t=s}: the i= domain must equal d=, not a subdomain of it. */
    public boolean strictIdentity() {
        return flags.contains("s");
    }

    public boolean allowsSha256() {
        return hashes.isEmpty() || hashes.contains("sha256");
    }

    public boolean allowsEmail() {
        return services.contains("*") || services.contains("email");
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(":")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DkimKeyRecord that && algorithm == that.algorithm && Arrays.equals(publicKey, that.publicKey)
                && flags.equals(that.flags) && hashes.equals(that.hashes) && services.equals(that.services);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "DkimKeyRecord[" + algorithm.keyType() + ", " + publicKey.length + " bytes, t=" + flags + "]";
    }
}
