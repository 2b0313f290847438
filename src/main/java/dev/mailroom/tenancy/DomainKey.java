package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimAlgorithm;
import java.time.Instant;

/** A DKIM key of a domain as stored: the public half in DNS form, the private half sealed. */
public record DomainKey(
        String id,
        String domainId,
        String selector,
        int slot,
        DkimAlgorithm algorithm,
        String publicKey,
        String sealedPrivateKey,
        KeyState state,
        Instant retireAt,
        Instant createdAt) {

    /** Each algorithm has two selector slots, so a new key can be published beside the one signing. */
    public static String selector(Stream stream, int slot, DkimAlgorithm algorithm) {
        return stream.selectorPrefix() + slot + algorithm.selectorSuffix();
    }

    /** The associated data a key's private half is sealed with, binding it to this row. */
    public static String sealContext(String keyId) {
        return "dkim-key:" + keyId;
    }

    @Override
    public String toString() {
        return "DomainKey[" + id + ", " + selector + ", " + algorithm + ", " + state + "]";
    }
}
