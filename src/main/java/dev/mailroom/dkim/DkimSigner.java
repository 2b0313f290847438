package dev.mailroom.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs messages (RFC 6376, relaxed/relaxed; never {@code l=}). The body is canonicalized and
 * hashed once however many keys sign, so RSA and Ed25519 signatures cost one pass over it.
 * The message's bytes are not changed: the caller puts the returned fields in front of them.
 */
public final class DkimSigner {
    private static final Canonicalization HEADER = Canonicalization.RELAXED;
    private static final Canonicalization BODY = Canonicalization.RELAXED;
    private static final int LINE = 76;
    private final Clock clock;

    public DkimSigner(Clock clock) {
        this.clock = clock;
    }

    /** One DKIM-Signature header field per key, in the keys' order, each ending with CRLF. */
    public List<String> sign(byte[] message, List<SigningKey> keys) {
        var parts = MessageParts.parse(message);
        var bodyHash = Base64.getEncoder().encodeToString(
                DkimCrypto.sha256().digest(BODY.body(parts.body()).getBytes(StandardCharsets.ISO_8859_1)));
        var names = HeaderPolicy.namesFor(parts);
        var signedHeaders = new StringBuilder();
        for (var field : parts.select(names)) {
            if (field != null) {
                signedHeaders.append(HEADER.header(field));
            }
        }
        long now = clock.instant().getEpochSecond();
        var fields = new ArrayList<String>();
        for (var key : keys) {
            var unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().tag() + "; c=" + HEADER.tag() + "/" + BODY.tag()
                    + "; d=" + key.domain() + "; s=" + key.selector() + ";\r\n\tt=" + now + "; h=" + fold(String.join(":", names), ':')
                    + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
            var data = signedHeaders + HEADER.header("DKIM-Signature", unsigned);
            try {
                var signature = DkimCrypto.sign(key.algorithm(), key.privateKey(), data.getBytes(StandardCharsets.ISO_8859_1));
                fields.add(unsigned + fold(Base64.getEncoder().encodeToString(signature), '\0') + "\r\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with " + key, e);
            }
        }
        return fields;
    }

    /** Folds a long tag value: at {@code separator} when given, else anywhere (base64 may take FWS). */
    private static String fold(String value, char separator) {
        var result = new StringBuilder();
        int lineLength = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            result.append(c);
            lineLength++;
            if (lineLength >= LINE && (separator == '\0' || c == separator) && i < value.length() - 1) {
                result.append("\r\n\t ");
                lineLength = 0;
            }
        }
        return result.toString();
    }
}
