package dev.mailroom.feedback;

import dev.mailroom.message.TrackingToken;
import dev.mailroom.message.Verp;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells which addresses are Mailroom's: return paths and unsubscribe addresses carry an HMAC, so
 * nobody can make up one that is accepted; the report addresses live at the platform domain.
 * Accepting nothing else is what keeps the inbound MX from ever causing backscatter.
 */
public final class InboundAddresses {
    private static final Pattern DMARC = Pattern.compile("dmarc\\+([a-z0-9]{1,40})");
    private final Verp verp;
    private final TrackingToken tokens;
    private final String platformDomain;

    public InboundAddresses(Verp verp, TrackingToken tokens, String platformDomain) {
        this.verp = verp;
        this.tokens = tokens;
        this.platformDomain = platformDomain.toLowerCase(Locale.ROOT);
    }

    public Optional<InboundAddress> classify(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        var local = address.substring(0, at).toLowerCase(Locale.ROOT);
        var domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.equals(platformDomain)) {
            if (local.equals("fbl")) {
                return Optional.of(new InboundAddress.FeedbackLoop());
            }
            var dmarc = DMARC.matcher(local);
            return dmarc.matches() ? Optional.of(new InboundAddress.DmarcReports(dmarc.group(1))) : Optional.empty();
        }
        // return paths and unsubscribe addresses live at rp.<sending domain> (or rp.<platform domain>)
        if (!domain.startsWith("rp.")) {
            return Optional.empty();
        }
        var bounce = verp.decode(address).<InboundAddress>map(target -> new InboundAddress.ReturnPath(target.messageId(), target.recipientIndex()));
        if (bounce.isPresent()) {
            return bounce;
        }
        return tokens.decodeUnsubscribeAddress(address).map(target -> new InboundAddress.Unsubscribe(target.messageId(), target.recipientIndex()));
    }
}
