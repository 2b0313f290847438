package dev.mailroom.dns.spf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The processing limits of RFC 7208 section 4.6.4, counted across one whole check, includes
 * and redirects included. They bound the DNS load a published record can cause; exceeding one
 * is permerror, except running out of time, which may go better later and so is temperror.
 */
final class SpfLimits {
    /** Per mx mechanism; more is the publisher's mistake, hence permerror. */
    static final int MAX_MX_NAMES = 10;
    /** Per ptr mechanism or p macro; the client controls its PTR records, so the rest are ignored. */
    static final int MAX_PTR_NAMES = 10;
    private static final int MAX_DNS_TERMS = 10;
    private static final int MAX_VOID_LOOKUPS = 2;
    /** The RFC asks for a limit on the whole check that allows at least 20 seconds. */
    private static final Duration MAX_ELAPSED = Duration.ofSeconds(20);

    private final Clock clock;
    private final Instant deadline;
    private int dnsTerms;
    private int voidLookups;

    SpfLimits(Clock clock, Instant start) {
        this.clock = clock;
        this.deadline = start.plus(MAX_ELAPSED);
    }

    /** Before each include, a, mx, ptr, exists and redirect: the terms that query DNS. */
    void countDnsTerm() {
        if (++dnsTerms > MAX_DNS_TERMS) {
            throw SpfAbort.permError("more than " + MAX_DNS_TERMS + " mechanisms and modifiers that query DNS");
        }
        if (clock.instant().isAfter(deadline)) {
            throw SpfAbort.tempError("the check took longer than " + MAX_ELAPSED.toSeconds() + " seconds");
        }
    }

    /** When a term's lookup finds no records (no data or NXDOMAIN). */
    void countVoidLookup(String question) {
        if (++voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfAbort.permError("more than " + MAX_VOID_LOOKUPS + " lookups found nothing, the last " + question);
        }
    }
}
