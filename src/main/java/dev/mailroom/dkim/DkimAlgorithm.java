package dev.mailroom.dkim;

/** The signing algorithms Mailroom keeps a key for, with their DNS key-type tag ({@code k=}). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "r"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "e");

    private final String tag;
    private final String keyType;
    private final String selectorSuffix;

    DkimAlgorithm(String tag, String keyType, String selectorSuffix) {
        this.tag = tag;
        this.keyType = keyType;
        this.selectorSuffix = selectorSuffix;
    }

    /** The {@code a=} tag value of a signature. */
    public String tag() {
        return tag;
    }

    /** The {@code k=} tag value of a key record. */
    public String keyType() {
        return keyType;
    }

    /** The TXT record value that publishes a public key of this algorithm ({@code p=} in base64). */
    public String keyRecord(String publicKeyBase64) {
        return "v=DKIM1; k=" + keyType + "; p=" + publicKeyBase64;
    }

    /** Appended to a selector so the RSA and Ed25519 keys of one generation have distinct names. */
    public String selectorSuffix() {
        return selectorSuffix;
    }

    public static DkimAlgorithm fromTag(String tag) {
        for (var algorithm : values()) {
            if (algorithm.tag.equals(tag)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown DKIM algorithm: " + tag);
    }
}
