package dev.mailroom.app;

import dev.mailroom.tenancy.MonitorSchedule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The configuration, one field per key of docs/configuration.md. Optional addresses are
 * null when unset. Keys for parts not built yet are read and checked already, so a
 * configuration written today keeps working.
 */
public record MailroomConfig(
        Path dataDir,
        String databaseUrl,
        int databasePoolSize,
        String redisUrl,
        String adminKey,
        String masterKey,
        String hostname,
        String platformDomain,
        HostPort httpListen,
        long httpMaxRequestBytes,
        boolean httpSecureCookies,
        HostPort smtpSubmissionListen,
        SmtpSubmission smtpSubmission,
        Sending sending,
        Duration spoolRetention,
        HostPort smtpInboundListen,
        List<HostPort> dnsServers,
        Duration dnsTimeout,
        MonitorSchedule dnsChecks,
        Duration dkimRotationOverlap,
        HostPort dnsAuthoritativeListen,
        List<InetAddress> dnsAuthoritativeAddresses,
        Delivery delivery,
        boolean webhooksAllowPrivate,
        SoftBounces softBounces,
        int reputationMinVolume,
        dev.mailroom.reputation.Warmup.Settings warmup,
        Reputation reputation,
        dev.mailroom.message.EmailAddress identitiesFrom,
        Duration offboardingRetention,
        Blocklists blocklists,
        Duration complianceInterval) {

    /** The reputation.* keys beside min_volume: thresholds, how often the engine looks, onboarding and tiers. */
    public record Reputation(dev.mailroom.reputation.Thresholds thresholds, Duration interval, Duration observationPeriod, boolean applyTiers,
            dev.mailroom.reputation.Tiers.Criteria tiers) {}

    /** The blocklists.* keys: the DNSBL zones to ask and how often; a null interval turns the checks off. */
    public record Blocklists(List<String> ipZones, List<String> domainZones, Duration interval) {}

    /** suppression.soft_bounce_*: this many soft bounces of an address within the window suppress it (0: never). */
    public record SoftBounces(int limit, Duration window) {}

    /** The smtp.submission.* keys besides listen; a null certificate means a self-signed one in data_dir. */
    public record SmtpSubmission(Path tlsCert, Path tlsKey, boolean loopbackAuthWithoutTls, int maxAuthFailures, int maxConnections,
            Duration idleTimeout) {}

    /** The sending.* keys: what one message may be, and the default caps per tenant (0 = none). */
    public record Sending(int maxMessageBytes, int maxRecipients, int hourlyCap, int dailyCap) {}

    /**
     * The delivery.* keys.
     *
     * @param smarthost null: deliver to the recipients' MX hosts
     */
    public record Delivery(boolean enabled, int mxPort, HostPort smarthost, dev.mailroom.delivery.Shaping shaping, Duration retryFirstDelay,
            Duration retryMaxDelay, Duration retryMaxAge, int tenantWindow, Duration idleTimeout, int noRouteAttempts) {}

    @Override
    public String toString() {
        return "MailroomConfig[dataDir=" + dataDir + ", database=" + (databaseUrl.isEmpty() ? "embedded H2" : "external")
                + ", http=" + httpListen + ", platformDomain=" + platformDomain + "]";
    }
}
