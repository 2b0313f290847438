package dev.mailroom.delivery;

import dev.mailroom.dns.DnsLookup;
import dev.mailroom.message.Verp;
import dev.mailroom.smtp.ClientSettings;
import dev.mailroom.spool.Spool;
import java.time.Duration;

/** What every lane and its connections share: the spool, DNS, the limits and where outcomes go. */
record LaneContext(Spool spool, Verp verp, DnsLookup dns, RateLimiter rates, ConnectionLimiter connections, Shaping shaping,
        SiteBackoff backoff, DeliveryRecorder recorder, TenantControls controls, ClientSettings.Timeouts timeouts, Duration idleTimeout,
        java.util.concurrent.atomic.AtomicBoolean stopping) {}
