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
        HostPort smtpSubmissionListen,
        HostPort smtpInboundListen,
        List<HostPort> dnsServers,
        Duration dnsTimeout,
        MonitorSchedule dnsChecks,
        Duration dkimRotationOverlap,
        HostPort dnsAuthoritativeListen,
        List<InetAddress> dnsAuthoritativeAddresses,
        int deliveryMxPort,
        HostPort deliverySmarthost,
        boolean webhooksAllowPrivate,
        int reputationMinVolume) {

    @Override
    public String toString() {
        return "MailroomConfig[dataDir=" + dataDir + ", database=" + (databaseUrl.isEmpty() ? "embedded H2" : "external")
                + ", http=" + httpListen + ", platformDomain=" + platformDomain + "]";
    }
}
