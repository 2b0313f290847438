package dev.mailroom.dns.spf;

import dev.mailroom.dns.DnsLookup;
import java.net.InetAddress;
import java.time.Clock;

/**
 * Checks whether a client may send mail for a sender's domain, following RFC 7208. Stateless
 * and safe to share: each {@link #check} gets its own lookup counters.
 */
public final class SpfEvaluator {
    /** Used when a fail comes with no usable exp=; a macro-string in exp text. */
    public static final String DEFAULT_EXPLANATION = "%{i} is not allowed to send mail for %{d}";
    /** RFC 7208 section 7.3: the value of the r macro when the checking host has no name to give. */
    public static final String UNKNOWN_RECEIVER = "unknown";

    private final DnsLookup dns;
    private final Clock clock;
    private final String receivingHost;
    private final MacroString defaultExplanation;

    public SpfEvaluator(DnsLookup dns, Clock clock) {
        this(dns, clock, UNKNOWN_RECEIVER, DEFAULT_EXPLANATION);
    }

    /**
     * @param receivingHost      this host's domain name, for the r macro of explanations
     * @param defaultExplanation the explanation of a fail without a usable exp=, in exp text syntax
     * @throws InvalidSpfRecordException if {@code defaultExplanation} is not valid exp text
     */
    public SpfEvaluator(DnsLookup dns, Clock clock, String receivingHost, String defaultExplanation) {
        this.dns = dns;
        this.clock = clock;
        this.receivingHost = receivingHost;
        this.defaultExplanation = MacroString.parseExplanation(defaultExplanation);
    }

    /**
     * The SPF result for mail from {@code client} with this MAIL FROM and HELO. An empty
     * {@code mailFrom} (a bounce) checks the HELO identity instead, as RFC 7208 section 2.4 says.
     */
    public SpfResult check(InetAddress client, String mailFrom, String helo) {
        var sender = Sender.of(mailFrom, helo);
        var domain = SpfNames.withoutTrailingDot(sender.domain());
        if (!SpfNames.isCheckable(domain)) {
            return new SpfResult.None();
        }
        var check = new SpfCheck(dns, clock, IpAddresses.unmapped(client), sender, helo, receivingHost, defaultExplanation);
        return check.checkHost(domain, true);
    }
}
