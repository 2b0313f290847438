package dev.mailroom.dkim;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Verifies every DKIM-Signature of a message against the keys published in DNS. */
public final class DkimVerifier {
    /** RFC 8301: verifiers must not accept RSA keys shorter than 1024 bits. */
    static final int MIN_RSA_BITS = 1024;
    private final DnsLookup dns;
    private final Clock clock;

    public DkimVerifier(DnsLookup dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /** One verdict per DKIM-Signature field, top to bottom; none when the message is unsigned. */
    public List<DkimVerdict> verify(byte[] message) {
        var parts = MessageParts.parse(message);
        var verdicts = new ArrayList<DkimVerdict>();
        for (var field : parts.headers()) {
            if (field.name().equalsIgnoreCase("DKIM-Signature")) {
                verdicts.add(verifyOne(parts, field));
            }
        }
        return verdicts;
    }

    private DkimVerdict verifyOne(MessageParts parts, MessageParts.HeaderField field) {
        TagList tags;
        try {
            tags = TagList.parse(field.value().replace("\r\n", ""));
        } catch (IllegalArgumentException e) {
            return new DkimVerdict.PermError("", "", "malformed signature: " + e.getMessage());
        }
        var domain = tags.get("d").orElse("").toLowerCase(Locale.ROOT);
        var selector = tags.get("s").orElse("");
        try {
            var signature = Signature.of(tags);
            if (signature.expires() != null && signature.expires() < clock.instant().getEpochSecond()) {
                return new DkimVerdict.Fail(domain, selector, "signature expired (x=)");
            }
            var keyRecord = fetchKey(domain, selector);
            if (keyRecord instanceof KeyLookup.Unavailable unavailable) {
                return unavailable.verdict();
            }
            var record = ((KeyLookup.Found) keyRecord).record();
            if (record.revoked()) {
                return new DkimVerdict.PermError(domain, selector, "key revoked (empty p=)");
            }
            if (record.algorithm() != signature.algorithm() || !record.allowsSha256() || !record.allowsEmail()) {
                return new DkimVerdict.PermError(domain, selector, "key record does not allow " + signature.algorithm().tag() + " for email");
            }
            if (record.strictIdentity() && signature.identityDomain() != null && !signature.identityDomain().equals(domain)) {
                return new DkimVerdict.PermError(domain, selector, "key requires i= in d= itself (t=s)");
            }
            var publicKey = DkimCrypto.publicKey(record.algorithm(), record.publicKey());
            if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                return new DkimVerdict.PermError(domain, selector, "RSA key shorter than " + MIN_RSA_BITS + " bits");
            }
            var body = signature.body().body(parts.body()).getBytes(StandardCharsets.ISO_8859_1);
            if (signature.bodyLength() != null) {
                if (signature.bodyLength() > body.length) {
                    return new DkimVerdict.PermError(domain, selector, "l= is longer than the body");
                }
                body = Arrays.copyOf(body, (int) (long) signature.bodyLength());
            }
            if (!MessageDigest.isEqual(DkimCrypto.sha256().digest(body), signature.bodyHash())) {
                return new DkimVerdict.Fail(domain, selector, "body hash does not match (body altered)");
            }
            var data = new StringBuilder();
            for (var signed : parts.select(signature.headers())) {
                if (signed != null) {
                    data.append(signature.header().header(signed));
                }
            }
            data.append(signature.header().header(field.name(), withoutSignatureValue(field.raw())));
            if (!DkimCrypto.verify(signature.algorithm(), publicKey, data.toString().getBytes(StandardCharsets.ISO_8859_1), signature.value())) {
                return new DkimVerdict.Fail(domain, selector, "signature does not verify (headers altered or wrong key)");
            }
            return new DkimVerdict.Pass(domain, selector, signature.algorithm());
        } catch (IllegalArgumentException e) {
            return new DkimVerdict.PermError(domain, selector, e.getMessage());
        } catch (GeneralSecurityException e) {
            return new DkimVerdict.PermError(domain, selector, "unusable key: " + e.getMessage());
        }
    }

    private sealed interface KeyLookup {
        record Found(DkimKeyRecord record) implements KeyLookup {}

        record Unavailable(DkimVerdict verdict) implements KeyLookup {}
    }

    private KeyLookup fetchKey(String domain, String selector) {
        var name = selector + "._domainkey." + domain;
        return switch (dns.txt(name)) {
            case Answer.Failed<String> failed -> new KeyLookup.Unavailable(new DkimVerdict.TempError(domain, selector, "key lookup failed: " + failed.reason()));
            case Answer.NxDomain<String> ignored -> new KeyLookup.Unavailable(new DkimVerdict.PermError(domain, selector, "no key at " + name));
            case Answer.NoData<String> ignored -> new KeyLookup.Unavailable(new DkimVerdict.PermError(domain, selector, "no key at " + name));
            case Answer.Records<String> records -> {
                if (records.values().size() != 1) {
                    yield new KeyLookup.Unavailable(new DkimVerdict.PermError(domain, selector, records.values().size() + " TXT records at " + name));
                }
                try {
                    yield new KeyLookup.Found(DkimKeyRecord.parse(records.values().getFirst()));
                } catch (IllegalArgumentException e) {
                    yield new KeyLookup.Unavailable(new DkimVerdict.PermError(domain, selector, "bad key record: " + e.getMessage()));
                }
            }
        };
    }

    /** The signature field with the value of b= emptied, as it was when signed (RFC 6376 3.7). */
    static String withoutSignatureValue(String raw) {
        int colon = raw.indexOf(':');
        var value = raw.substring(colon + 1);
        var matcher = Pattern.compile("(^|;)([ \\t\\r\\n]*b[ \\t\\r\\n]*=)[^;]*").matcher(value);
        if (!matcher.find()) {
            return raw;
        }
        return raw.substring(0, colon + 1) + value.substring(0, matcher.end(2)) + value.substring(matcher.end());
    }

    /** The tags of a DKIM-Signature that verification needs, checked for form. */
    private record Signature(DkimAlgorithm algorithm, Canonicalization header, Canonicalization body, List<String> headers,
            byte[] bodyHash, byte[] value, Long bodyLength, Long expires, String identityDomain) {

        static Signature of(TagList tags) {
            if (!tags.require("v").equals("1")) {
                throw new IllegalArgumentException("v= must be 1");
            }
            var algorithm = DkimAlgorithm.fromTag(tags.require("a").toLowerCase(Locale.ROOT));
            var canonicalization = tags.get("c").orElse("simple/simple").toLowerCase(Locale.ROOT).split("/", 2);
            var header = Canonicalization.fromTag(canonicalization[0].strip());
            var body = canonicalization.length > 1 ? Canonicalization.fromTag(canonicalization[1].strip()) : Canonicalization.SIMPLE;
            var headers = Arrays.stream(tags.require("h").split(":")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (headers.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
                throw new IllegalArgumentException("h= does not include From");
            }
            var domain = tags.require("d").toLowerCase(Locale.ROOT);
            tags.require("s");
            String identityDomain = null;
            if (tags.get("i").isPresent()) {
                var identity = tags.get("i").get();
                identityDomain = identity.substring(identity.indexOf('@') + 1).toLowerCase(Locale.ROOT);
                if (!identityDomain.equals(domain) && !identityDomain.endsWith("." + domain)) {
                    throw new IllegalArgumentException("i= is not within d=");
                }
            }
            var decoder = Base64.getDecoder();
            return new Signature(algorithm, header, body, headers,
                    decoder.decode(TagList.withoutWhitespace(tags.require("bh"))),
                    decoder.decode(TagList.withoutWhitespace(tags.require("b"))),
                    tags.get("l").map(Long::parseLong).orElse(null),
                    tags.get("x").map(Long::parseLong).orElse(null),
                    identityDomain);
        }
    }
}
