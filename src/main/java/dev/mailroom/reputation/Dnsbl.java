package dev.mailroom.reputation;

import dev.mailroom.dns.Answer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The DNS blocklist protocol (RFC 5782): the name to ask for an address or a domain on a list,
 * and what the answer means. Lists answer an A record in 127.0.0.0/8 for what they list and
 * NXDOMAIN for the rest; some answer errors the same way, which must never read as a listing.
 */
public final class Dnsbl {
    private Dnsbl() {}

    /** What one list said about one address or name. */
    public sealed interface Result {
        /** Listed: the return codes (e.g. {@code 127.0.0.2}) and the list's TXT reason, null when it gives none. */
        record Listed(String code, String reason) implements Result {}

        /** Not listed (NXDOMAIN, or the name has no A record). */
        record NotListed() implements Result {}

        /**
         * The list answered with an error code instead of a verdict, e.g. Spamhaus refusing queries
         * that come through a public resolver. Not a listing; the check failed.
         */
        record Refused(String code, String meaning) implements Result {}

        /** No answer (timeout, SERVFAIL): nothing is known. */
        record Failed(String reason) implements Result {}
    }

    /**
     * The name to look up for an address: an IPv4 address's octets reversed ({@code 11.0.0.127.zone}),
     * an IPv6 address's 32 nibbles reversed (RFC 5782 2.4), then the list's zone.
     */
    public static String queryName(InetAddress address, String zone) {
        var bytes = address.getAddress();
        var labels = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                labels.append(bytes[i] & 0xff).append('.');
            }
        } else {
            for (int i = bytes.length - 1; i >= 0; i--) {
                labels.append(Character.forDigit(bytes[i] & 0x0f, 16)).append('.').append(Character.forDigit((bytes[i] >> 4) & 0x0f, 16)).append('.');
            }
        }
        return labels + zone;
    }

    /** The name to look up for a domain on a domain list (RFC 5782 2.2): the domain itself under the zone. */
    public static String queryName(String domain, String zone) {
        return domain.toLowerCase(Locale.ROOT) + "." + zone;
    }

    /**
     * What an A answer from a list means; {@code reason} fetches the TXT record, asked only for a listing.
     * 127.0.0.1 is never a listing (RFC 5782 2.1 keeps it out of every list; URIBL answers it to
     * refused queries), nor is 127.255.255.0/24 (Spamhaus's error codes) or an address outside
     * 127.0.0.0/8 (a resolver that rewrites NXDOMAIN).
     */
    public static Result interpret(Answer<InetAddress> answer, Supplier<Answer<String>> reason) {
        return switch (answer) {
            case Answer.NxDomain<InetAddress> ignored -> new Result.NotListed();
            case Answer.NoData<InetAddress> ignored -> new Result.NotListed();
            case Answer.Failed<InetAddress> failed -> new Result.Failed(failed.reason());
            case Answer.Records<InetAddress> records -> listed(records.values(), reason);
        };
    }

    private static Result listed(List<InetAddress> codes, Supplier<Answer<String>> reason) {
        if (codes.isEmpty()) {
            return new Result.NotListed();
        }
        for (var code : codes) {
            var refusal = refusal(code);
            if (refusal != null) {
                return new Result.Refused(code.getHostAddress(), refusal);
            }
        }
        var text = switch (reason.get()) {
            case Answer.Records<String> records -> records.values().isEmpty() ? null : String.join(" ", records.values());
            default -> null;
        };
        return new Result.Listed(String.join(", ", codes.stream().map(InetAddress::getHostAddress).sorted().toList()), text);
    }

    /** Why a return code is an error rather than a listing; null when it is a listing. */
    private static String refusal(InetAddress code) {
        var bytes = code.getAddress();
        if (!(code instanceof Inet4Address) || bytes[0] != 127) {
            return "an answer outside 127.0.0.0/8 is no list's: the resolver rewrites NXDOMAIN";
        }
        if ((bytes[1] & 0xff) == 255 && (bytes[2] & 0xff) == 255) {
            return switch (bytes[3] & 0xff) {
                case 252 -> "the list does not exist (a typo in the zone name)";
                case 254 -> "query refused: it came through a public or open resolver; use your own resolver or the list's paid service";
                case 255 -> "query refused: too many queries from this resolver";
                default -> "an error code of the list (127.255.255.0/24)";
            };
        }
        if (bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 1) {
            return "query refused (127.0.0.1 is never a listing): the list blocks this resolver";
        }
        return null;
    }
}
