package dev.mailroom.delivery;

import static dev.mailroom.delivery.BounceCategory.AUTH_FAILURE;
import static dev.mailroom.delivery.BounceCategory.BAD_DOMAIN;
import static dev.mailroom.delivery.BounceCategory.BAD_MAILBOX;
import static dev.mailroom.delivery.BounceCategory.CONNECTION;
import static dev.mailroom.delivery.BounceCategory.MAILBOX_FULL;
import static dev.mailroom.delivery.BounceCategory.OTHER;
import static dev.mailroom.delivery.BounceCategory.POLICY;
import static dev.mailroom.delivery.BounceCategory.RATE_LIMITED;
import static dev.mailroom.delivery.BounceCategory.SPAM_RELATED;
import static dev.mailroom.delivery.BounceCategory.TIMEOUT;
import static dev.mailroom.delivery.BounceCategory.TLS;

import dev.mailroom.smtp.SmtpReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies a receiving server's reply to one recipient: delivered, soft or hard failure, a
 * {@link BounceCategory}, and whether the site wants us to slow down.
 *
 * <p>The category comes from the enhanced status code when it is specific (RFC 3463, RFC 7372),
 * otherwise from the providers' texts, otherwise from the generic meaning of the enhanced code,
 * otherwise from the basic code. Soft or hard follows the basic code, with these exceptions:
 * <ul>
 * <li>a 4xx is never hard, whatever its text: the server asked for a retry, and a 4xx "user unknown"
 *     is often a directory lookup that failed; the retry schedule's max age ends it;</li>
 * <li>a 5xx is soft for a full mailbox (X.2.2: mailboxes get emptied, and providers use 552 and 452
 *     for the same state), a rate limit, a block of our IP (a listing or a reputation block is about
 *     us, not the recipient or the message: the queue waits for it to clear instead of bouncing every
 *     message), or a text saying "try again later" or "temporarily" — unless the text says the
 *     refusal is permanent.</li>
 * </ul>
 */
public final class ReplyClassifier {
    private static final Pattern GREYLIST = Pattern.compile("greylist|graylist");
    /** Listings and reputation blocks of the sending IP: every message from it gets the same answer. */
    private static final String IP_BLOCK_WORDS = "spamhaus|spamcop|barracuda|sorbs|dnsbl|\\brbl\\b|block ?list|black ?list"
            + "|blocked using|listed (?:on|in|at|by)|\\bs3140\\b|not accepted from this ip|banned sending ip|\\btss09\\b";
    private static final Pattern IP_BLOCK = Pattern.compile(IP_BLOCK_WORDS);
    private static final Pattern PERMANENT = Pattern.compile("permanent|will not succeed|do not retry");
    private static final Pattern TEMPORARY = Pattern.compile("try (?:again )?later|temporar");

    /** First match wins, so a specific reason beats a word that many texts share ("denied", "later"). */
    private static final List<Map.Entry<Pattern, BounceCategory>> TEXTS = List.of(
            rule(GREYLIST.pattern(), POLICY),
            rule("\\bspf\\b|\\bdkim\\b|\\bdmarc\\b|unauthenticated|not authenticated|authentication", AUTH_FAILURE),
            rule("unusual rate|rate.?limit|too many|server busy|unexpected volume|\\btss0[14]\\b|throttl", RATE_LIMITED),
            rule("spam|unsolicited|junk|suspicious|reputation|" + IP_BLOCK_WORDS, SPAM_RELATED),
            rule("domain not found|no such domain|domain (?:does not|doesn't) exist|host (?:not found|unknown)|unrout(?:e)?able", BAD_DOMAIN),
            rule("user unknown|unknown user|no such (?:user|mailbox|recipient)|(?:user|recipient|mailbox) not found"
                    + "|mailbox unavailable|invalid (?:recipient|mailbox)|(?:does not|doesn't) exist"
                    + "|(?:mailbox|account) (?:is |has been )?disabled|doesn't have an? [\\w.]+ account", BAD_MAILBOX),
            rule("over quota|quota exceeded|exceeds? (?:its |the )?quota|mailbox (?:is )?full|storage allocation", MAILBOX_FULL),
            rule("starttls|\\btls\\b|\\bssl\\b|encryption required", TLS),
            rule("timed? ?out", TIMEOUT),
            rule("connection (?:refused|reset|closed|dropped)|lost connection", CONNECTION),
            rule("message size|too (?:large|big)|size limit", OTHER),
            rule("relay|policy|denied|not allowed|not permitted|prohibited|refused", POLICY),
            rule("try (?:again )?later|come back later", RATE_LIMITED));

    private ReplyClassifier() {
    }

    public static ReplyOutcome classify(SmtpReply reply) {
        if (reply.positive()) {
            return new ReplyOutcome.Delivered();
        }
        if (reply.code() / 100 == 3) {
            throw new IllegalArgumentException("a 3xx reply is a step in a transaction, not its outcome: " + reply);
        }
        var text = String.join(" ", reply.lines()).toLowerCase(Locale.ROOT);
        var status = Status.parse(reply.enhanced());
        var category = status.flatMap(s -> s.category(text))
                .or(() -> byText(text))
                .or(() -> status.flatMap(Status::fallback))
                .orElseGet(() -> byBasicCode(reply.code()));
        boolean ipBlock = IP_BLOCK.matcher(text).find();
        boolean slowDown = slowDown(reply.code(), status, category, ipBlock, text);
        if (reply.code() / 100 == 4 || softDespite5xx(category, ipBlock, text)) {
            return new ReplyOutcome.SoftFailure(category, slowDown);
        }
        return new ReplyOutcome.HardFailure(category, slowDown);
    }

    /**
     * An attempt that got no reply is always worth retrying. It does not slow the site down: no reply
     * is no request from the site, and a dead host is the connection pool's business.
     */
    public static ReplyOutcome.SoftFailure classify(LocalFailure failure) {
        var category = switch (failure) {
            case CONNECTION_REFUSED, CONNECTION_RESET -> CONNECTION;
            case TIMEOUT -> TIMEOUT;
            case TLS_HANDSHAKE_FAILED -> TLS;
        };
        return new ReplyOutcome.SoftFailure(category, false);
    }

    private static boolean softDespite5xx(BounceCategory category, boolean ipBlock, String text) {
        if (PERMANENT.matcher(text).find()) {
            return false;
        }
        return category == MAILBOX_FULL || category == RATE_LIMITED || ipBlock || TEMPORARY.matcher(text).find();
    }

    private static boolean slowDown(int code, Optional<Status> status, BounceCategory category, boolean ipBlock, String text) {
        // greylisting delays one sender/recipient pair; the site itself is not asking for less
        if (GREYLIST.matcher(text).find()) {
            return false;
        }
        // a 421 that closes our own idle connection says nothing about the site's load
        boolean closesForLoad = code == 421 && category != TIMEOUT;
        boolean policyDeferral = code == 451 && status.filter(s -> s.subject() == 7).isPresent();
        return category == RATE_LIMITED || ipBlock || closesForLoad || policyDeferral;
    }

    private static Optional<BounceCategory> byText(String text) {
        return TEXTS.stream().filter(rule -> rule.getKey().matcher(text).find()).map(Map.Entry::getValue).findFirst();
    }

    private static BounceCategory byBasicCode(int code) {
        return switch (code) {
            case 421 -> RATE_LIMITED;
            case 551, 553 -> BAD_MAILBOX;
            case 552 -> MAILBOX_FULL;
            case 530, 535 -> AUTH_FAILURE;
            default -> OTHER;
        };
    }

    private static Map.Entry<Pattern, BounceCategory> rule(String regex, BounceCategory category) {
        return Map.entry(Pattern.compile(regex), category);
    }

    /** An enhanced status code, class.subject.detail. */
    private record Status(int cls, int subject, int detail) {
        static Optional<Status> parse(String enhanced) {
            if (enhanced == null) {
                return Optional.empty();
            }
            var parts = enhanced.split("\\.");
            return Optional.of(new Status(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        }

        /** The category when the code alone is specific enough; empty when the text must decide. */
        Optional<BounceCategory> category(String text) {
            return Optional.ofNullable(switch (subject) {
                case 1 -> switch (detail) {
                    // X.1.10 is "null MX" in RFC 7505, but our own MX lookup finds those; on the wire it is
                    // Exchange Online's "recipient not found"
                    case 1, 3, 6, 10 -> BAD_MAILBOX;
                    case 2 -> BAD_DOMAIN;
                    default -> null;
                };
                case 2 -> switch (detail) {
                    case 1 -> BAD_MAILBOX;
                    // Gmail's "over quota and inactive": an abandoned mailbox never empties
                    case 2 -> text.contains("inactive") || text.contains("disabled") ? BAD_MAILBOX : MAILBOX_FULL;
                    case 3 -> OTHER;
                    default -> null;
                };
                case 3 -> detail == 4 ? OTHER : null;
                case 4 -> switch (detail) {
                    case 7 -> TIMEOUT;
                    // "mail system congestion"
                    case 5 -> RATE_LIMITED;
                    // Exchange Online's directory-based edge blocking answers an unknown recipient this way
                    case 1 -> text.contains("recipient address rejected") ? BAD_MAILBOX : null;
                    // the rest are routing and connection trouble, which the text may narrow to a timeout
                    default -> null;
                };
                // too many recipients is a per-transaction limit: the rest go in the next transaction
                case 5 -> detail == 3 ? OTHER : null;
                case 7 -> switch (detail) {
                    case 8, 20, 21, 22, 23, 24, 25, 26, 27 -> AUTH_FAILURE;
                    case 10, 11 -> TLS;
                    case 28 -> RATE_LIMITED;
                    default -> null;
                };
                default -> null;
            });
        }

        /** What a generic code means when the text said nothing recognisable. */
        Optional<BounceCategory> fallback() {
            return switch (subject) {
                case 4 -> Optional.of(CONNECTION);
                // 4.7.0 is what Gmail and Yahoo defer with when they want less from us
                case 7 -> Optional.of(cls == 4 && detail == 0 ? RATE_LIMITED : POLICY);
                default -> Optional.empty();
            };
        }
    }
}
