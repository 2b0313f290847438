package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimAlgorithm;
import java.time.Instant;

/** A DKIM key of a domain as stored: the public half in DNS form, the private half sealed. */
public record DomainKey(
        String id,
        String domainId,
        String selector,
        DkimAlgorithm algorithm,
        String publicKey,
        String sealedPrivateKey,
        Instant createdAt) {

    /** The associated data a key's private half is sealed with, binding it to this row. */
    public static String sealContext(String keyId) {
        return "dkim-key:" + keyId;
    }

    @Override
    public String toString() {
        return "DomainKey[" + id + ", " + selector + ", " + algorithm + "]";
    }
}
