package dev.mailroom.message;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens for tracking URLs and the unsubscribe mailbox: {@code <message id>-<recipient>-<mac>},
 * with {@code -<link>} before the MAC for clicks; the recipient is its index or {@code w} for the
 * whole message. The MAC (HMAC-SHA256 truncated to 65 bits, base32) also covers the kind, which the
 * token does not spell out: it comes from where the token arrives ({@code /o/}, {@code /c/},
 * {@code /u/}, {@code u-...@}), so an open pixel fetched by an image proxy can never unsubscribe.
 * Tokens are lower-case and decode in any case, because mail systems may change the case of a
 * local part.
 */
public final class TrackingToken {
    private static final int MAC_CHARS = 13;
    private static final String WHOLE_MESSAGE = "w";
    private static final String UNSUBSCRIBE_PREFIX = "u-";
    private static final String NUMBER = "(0|[1-9][0-9]{0,4})";
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-z_]{1,64}");
    private static final Pattern PLAIN = Pattern.compile("([0-9a-z_]{1,64})-(" + NUMBER + "|w)-([0-9a-z]{" + MAC_CHARS + "})");
    private static final Pattern CLICK = Pattern.compile("([0-9a-z_]{1,64})-(" + NUMBER + "|w)-" + NUMBER + "-([0-9a-z]{" + MAC_CHARS + "})");
    /** Host, optional port and path; nothing that would need escaping in an HTML attribute or a header. */
    private static final Pattern BASE = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?");
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final SecretKeySpec key;

    /** What a token is for; {@link #path()} is where its URL points under the tracking base. */
    public enum Kind {
        OPEN("o"),
        CLICK("c"),
        UNSUBSCRIBE("u");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        public String path() {
            return "/" + letter + "/";
        }
    }

    /**
     * What a token names. An empty {@code recipientIndex} means the whole message: a message with
     * several recipients has one body, so its links cannot name one of them. {@code linkIndex} is
     * present exactly for clicks and points into the list of original URLs kept for the message.
     */
    public record Target(Kind kind, String messageId, OptionalInt recipientIndex, OptionalInt linkIndex) {
        public Target {
            if (!MESSAGE_ID.matcher(messageId).matches()) {
                throw new IllegalArgumentException("message ids are 1 to 64 lower-case letters, digits and _: " + messageId);
            }
            recipientIndex.ifPresent(index -> checkIndex("recipient", index));
            if (linkIndex.isPresent() != (kind == Kind.CLICK)) {
                throw new IllegalArgumentException("a link index belongs to clicks and only to clicks");
            }
            linkIndex.ifPresent(index -> checkIndex("link", index));
        }

        public static Target open(String messageId, OptionalInt recipientIndex) {
            return new Target(Kind.OPEN, messageId, recipientIndex, OptionalInt.empty());
        }

        public static Target click(String messageId, OptionalInt recipientIndex, int linkIndex) {
            return new Target(Kind.CLICK, messageId, recipientIndex, OptionalInt.of(linkIndex));
        }

        public static Target unsubscribe(String messageId, OptionalInt recipientIndex) {
            return new Target(Kind.UNSUBSCRIBE, messageId, recipientIndex, OptionalInt.empty());
        }

        private static void checkIndex(String what, int index) {
            if (index < 0 || index > 99_999) {
                throw new IllegalArgumentException("a " + what + " index is 0 to 99999, got " + index);
            }
        }
    }

    /** @param secret at least 32 bytes, kept across restarts (links are clicked months later) */
    public TrackingToken(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a tracking secret has at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String encode(Target target) {
        var fields = fields(target);
        return fields + "-" + mac(target.kind(), fields);
    }

    /** What a token that arrived as {@code kind} names, if its MAC is right; empty for anything else. */
    public Optional<Target> decode(Kind kind, String token) {
        var matcher = (kind == Kind.CLICK ? CLICK : PLAIN).matcher(token.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        var recipient = matcher.group(2).equals(WHOLE_MESSAGE) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(matcher.group(2)));
        var link = kind == Kind.CLICK ? OptionalInt.of(Integer.parseInt(matcher.group(4))) : OptionalInt.empty();
        var target = new Target(kind, matcher.group(1), recipient, link);
        var expected = mac(kind, fields(target)).getBytes(StandardCharsets.US_ASCII);
        var given = matcher.group(matcher.groupCount()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(target) : Optional.empty();
    }

    /** {@code <tracking base>/o/<token>} and so on, e.g. {@code https://t.news.clienta.com/c/msg_01...-0-3-...}. */
    public String url(String trackingBase, Target target) {
        return base(trackingBase) + target.kind().path() + encode(target);
    }

    /** {@code u-<token>@<return path domain>}, the mailto unsubscribe address (List-Unsubscribe). */
    public String unsubscribeAddress(Target target, String returnPathDomain) {
        if (target.kind() != Kind.UNSUBSCRIBE) {
            throw new IllegalArgumentException("an unsubscribe address carries an unsubscribe token, not " + target.kind());
        }
        var local = UNSUBSCRIBE_PREFIX + encode(target);
        if (local.length() > 64) {
            throw new IllegalArgumentException("message id " + target.messageId() + " is too long for an unsubscribe address (64-character local part)");
        }
        return local + "@" + returnPathDomain;
    }

    /** What an unsubscribe address names, if it is one of ours and its MAC is right. */
    public Optional<Target> decodeUnsubscribeAddress(String address) {
        int at = address.lastIndexOf('@');
        var local = at < 0 ? address : address.substring(0, at);
        if (!local.regionMatches(true, 0, UNSUBSCRIBE_PREFIX, 0, UNSUBSCRIBE_PREFIX.length())) {
            return Optional.empty();
        }
        return decode(Kind.UNSUBSCRIBE, local.substring(UNSUBSCRIBE_PREFIX.length()));
    }

    /** The tracking base without its trailing slash; refused when it is not a plain http(s) origin and path. */
    static String base(String trackingBase) {
        if (!BASE.matcher(trackingBase).matches()) {
            throw new IllegalArgumentException("a tracking base is http(s)://host[:port][/path], got " + trackingBase);
        }
        return trackingBase.endsWith("/") ? trackingBase.substring(0, trackingBase.length() - 1) : trackingBase;
    }

    private static String fields(Target target) {
        var recipient = target.recipientIndex().isPresent() ? Integer.toString(target.recipientIndex().getAsInt()) : WHOLE_MESSAGE;
        var fields = target.messageId() + "-" + recipient;
        return target.linkIndex().isPresent() ? fields + "-" + target.linkIndex().getAsInt() : fields;
    }

    private String mac(Kind kind, String fields) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // "track/": a VERP MAC made with the same secret never passes for a tracking one
            var digest = mac.doFinal(("track/" + kind.letter + "/" + fields).getBytes(StandardCharsets.US_ASCII));
            var text = new char[MAC_CHARS];
            for (int i = 0; i < MAC_CHARS; i++) {
                int bit = 5 * i;
                int pair = ((digest[bit / 8] & 0xff) << 8) | (digest[bit / 8 + 1] & 0xff);
                text[i] = BASE32[(pair >>> (11 - bit % 8)) & 31];
            }
            return new String(text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
