package dev.mailroom.app;

import dev.mailroom.api.ApiServer;
import dev.mailroom.delivery.ConnectionLimiter;
import dev.mailroom.delivery.Delivery;
import dev.mailroom.delivery.Egress;
import dev.mailroom.delivery.EgressPolicy;
import dev.mailroom.delivery.LocalConnectionLimiter;
import dev.mailroom.delivery.LocalRateLimiter;
import dev.mailroom.delivery.RateLimiter;
import dev.mailroom.delivery.TenantControls;
import dev.mailroom.delivery.RedisConnectionLimiter;
import dev.mailroom.delivery.RedisRateLimiter;
import dev.mailroom.delivery.RetrySchedule;
import dev.mailroom.dns.DmarcDiscovery;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.smtp.ClientSettings;
import redis.clients.jedis.JedisPooled;
import dev.mailroom.dkim.CryptoProviders;
import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolEgress;
import dev.mailroom.delivery.PoolRepository;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.dns.AuthoritativeServer;
import dev.mailroom.dns.CachingResolver;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.dns.verify.RecordVerifier;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.ExportParts;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.events.BatchedWriter;
import dev.mailroom.events.MessageRecord;
import dev.mailroom.feedback.FeedbackIntake;
import dev.mailroom.feedback.InboundAddresses;
import dev.mailroom.feedback.InboundHandler;
import dev.mailroom.feedback.BounceSuppression;
import dev.mailroom.feedback.SoftBounces;
import dev.mailroom.events.TrackedMessage;
import dev.mailroom.events.webhooks.Webhooks;
import dev.mailroom.feedback.SuppressionCsv;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.message.TrackingToken;
import dev.mailroom.message.Verp;
import dev.mailroom.reputation.Alerts;
import dev.mailroom.reputation.Autopilot;
import dev.mailroom.reputation.Onboarding;
import dev.mailroom.reputation.ReputationActions;
import dev.mailroom.reputation.ReputationEngine;
import dev.mailroom.reputation.TenantHealth;
import dev.mailroom.reputation.StatsExport;
import dev.mailroom.reputation.Tiers;
import dev.mailroom.reputation.ReputationSettings;
import dev.mailroom.reputation.TenantGate;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.reputation.Blocklists;
import dev.mailroom.reputation.Compliance;
import dev.mailroom.reputation.StatsTraffic;
import dev.mailroom.submission.Decorations;
import dev.mailroom.submission.IdempotencyKeys;
import dev.mailroom.submission.IdentityConfirmations;
import dev.mailroom.submission.SmtpSubmissionHandler;
import dev.mailroom.submission.Submission;
import dev.mailroom.smtp.SmtpServer;
import dev.mailroom.smtp.TlsMaterial;
import dev.mailroom.spool.Spool;
import dev.mailroom.reputation.Stats;
import dev.mailroom.reputation.StatsRollup;
import dev.mailroom.store.Database;
import dev.mailroom.store.Ids;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.ApiKeyRepository;
import dev.mailroom.tenancy.ArchiveRepository;
import dev.mailroom.tenancy.Offboarding;
import dev.mailroom.tenancy.TenantExport;
import dev.mailroom.tenancy.ApiKeyService;
import dev.mailroom.tenancy.DkimRotation;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainAdvisor;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.PlatformZones;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.IdentityRepository;
import dev.mailroom.tenancy.IdentityService;
import dev.mailroom.tenancy.SmtpCredentialRepository;
import dev.mailroom.tenancy.SmtpCredentialService;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.Passwords;
import dev.mailroom.tenancy.Sessions;
import dev.mailroom.tenancy.UserRepository;
import dev.mailroom.tenancy.UserService;
import dev.mailroom.tracking.Tracker;
import dev.mailroom.web.Dashboard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration, by constructor, in
 * dependency order, and stops them in reverse.
 */
public final class Mailroom implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailroom.class);
    /** How often the monitor looks for domains whose check is due. */
    private static final Duration MONITOR_TICK = Duration.ofSeconds(30);
    /** RFC 5322 2.1.1: a line of a message is at most 998 characters; longer ones break on the way. */
    private static final int SMTP_LINE_LIMIT = 998;
    /** Reports are small; a bounce quoting a big message is cut by its sender long before this. */
    private static final int INBOUND_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    private static final int INBOUND_MAX_RECIPIENTS = 50;
    /** How often finished messages past their retention and expired idempotency keys are removed. */
    private static final Duration HOUSEKEEPING_TICK = Duration.ofHours(1);
    private final Database database;
    private final Spool spool;
    private final Verp verp;
    private final TrackingToken trackingTokens;
    private final BatchedWriter<MessageRecord> indexWriter;
    private final Delivery delivery;
    private final Webhooks webhooks;
    /** Delivery's shared limits when redis.url is set; null otherwise. */
    private final JedisPooled redis;
    private final java.util.concurrent.ScheduledExecutorService housekeeping;
    /** The scheduled blocklist and compliance checks. */
    private final java.util.concurrent.ScheduledExecutorService checks;
    private final ApiServer api;
    private final SmtpServer smtp;
    private final SmtpServer inbound;
    /** How stale the DNS server's zones may get when a change did not say so itself. */
    private static final Duration ZONE_REFRESH = Duration.ofSeconds(10);
    private final DomainMonitor monitor;
    private final AuthoritativeServer dns;
    private final JvmGcMetrics gcMetrics;
    private final DmarcReports dmarcReports;
    private final StatsRollup statsRollup;
    private final ReputationEngine reputation;

    private Mailroom(Database database, Spool spool, Verp verp, TrackingToken trackingTokens, BatchedWriter<MessageRecord> indexWriter,
            Delivery delivery, Webhooks webhooks, JedisPooled redis, java.util.concurrent.ScheduledExecutorService housekeeping,
            java.util.concurrent.ScheduledExecutorService checks, ApiServer api, SmtpServer smtp, SmtpServer inbound, DomainMonitor monitor,
            AuthoritativeServer dns, JvmGcMetrics gcMetrics, DmarcReports dmarcReports, StatsRollup statsRollup, ReputationEngine reputation) {
        this.smtp = smtp;
        this.inbound = inbound;
        this.database = database;
        this.spool = spool;
        this.verp = verp;
        this.trackingTokens = trackingTokens;
        this.indexWriter = indexWriter;
        this.delivery = delivery;
        this.webhooks = webhooks;
        this.redis = redis;
        this.housekeeping = housekeeping;
        this.checks = checks;
        this.api = api;
        this.monitor = monitor;
        this.dns = dns;
        this.gcMetrics = gcMetrics;
        this.dmarcReports = dmarcReports;
        this.statsRollup = statsRollup;
        this.reputation = reputation;
    }

    /** The port of the authoritative DNS server, or -1 when it is off. */
    public int dnsPort() {
        return dns == null ? -1 : dns.port();
    }

    /**
     * Starts Mailroom. A newly generated admin key is written to {@code console}, once;
     * it is never logged.
     */
    public static Mailroom start(MailroomConfig config, Clock clock, PrintStream console) {
        createDataDir(config);
        LOG.info("Cryptography: {}", CryptoProviders.installPreferred());
        var masterKey = MasterKeys.load(config);
        var url = config.databaseUrl().isEmpty() ? Database.embeddedUrl(config.dataDir()) : config.databaseUrl();
        var database = Database.open(url, config.databasePoolSize());
        Spool spool = null;
        BatchedWriter<MessageRecord> indexWriter = null;
        Delivery delivery = null;
        Webhooks webhooks = null;
        JedisPooled redis = null;
        Verp verp = null;
        java.util.concurrent.ScheduledExecutorService housekeeping = null;
        java.util.concurrent.ScheduledExecutorService checks = null;
        DomainMonitor monitor = null;
        AuthoritativeServer dns = null;
        ApiServer api = null;
        SmtpServer smtp = null;
        SmtpServer inbound = null;
        StatsRollup statsRollup = null;
        ReputationEngine reputation = null;
        try {
            var jdbi = database.jdbi();
            spool = Spool.open(config.dataDir().resolve("spool"), clock);
            // a few seeks, where counting every unfinished recipient would read the whole spool at each start
            LOG.info("Spool: queued mail for {} tenants", spool.queuedTenants().size());
            var sealer = new SecretSealer(masterKey);
            MasterKeys.checkAgainstStore(sealer, jdbi);
            var ids = new Ids(clock);
            var events = new EventLog(jdbi, ids, clock);
            var tenantRepository = new TenantRepository(jdbi, events);
            var tenants = new TenantService(tenantRepository, ids, clock, Pool.DEFAULT_ID);
            var planner = new RecordPlanner(config.platformDomain());
            var domainRepository = new DomainRepository(jdbi, events);
            var domains = new DomainService(domainRepository, tenants, new DkimKeyGenerator(), sealer, planner,
                    new DomainAdvisor(), config.dnsChecks(), ids, clock);
            var poolRepository = new PoolRepository(jdbi, sealer);
            var pools = new PoolService(poolRepository, ids, clock);
            var poolAssignments = new PoolAssignments(pools, tenants, domains, domainRepository, clock);
            var resolver = new CachingResolver(config.dnsServers().stream()
                    .map(server -> new InetSocketAddress(server.host(), server.port())).toList(), config.dnsTimeout());
            var rotation = new DkimRotation(domains, domainRepository, resolver.fresh(), config.dkimRotationOverlap(), clock);
            monitor = new DomainMonitor(domains, domainRepository, new RecordVerifier(resolver), new RecordVerifier(resolver.fresh()),
                    rotation, config.dnsChecks(), clock);
            var keys = new ApiKeyService(new ApiKeyRepository(jdbi), tenants, domains, ids, clock);
            var credentials = new SmtpCredentialService(new SmtpCredentialRepository(jdbi), tenants, domains, ids, clock);
            keys.bootstrap(config.adminKey()).ifPresent(secret -> announce(console, secret));

            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new ProcessorMetrics().bindTo(metrics);
            new UptimeMetrics().bindTo(metrics);
            var gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(metrics);
            Gauge.builder("mailroom.tenants", tenantRepository, TenantRepository::count)
                    .description("Tenants on this installation")
                    .register(metrics);

            verp = new Verp(masterKey.derive("verp"));
            var suppressions = new SuppressionList(jdbi, ids, clock,
                    (tenant, domain) -> !domainRepository.idsOwnedBy(tenant, java.util.List.of(domain)).isEmpty());
            var messageIndex = new MessageIndex(jdbi, events);
            var identityRepository = new IdentityRepository(jdbi);
            var openSpool = spool;
            indexWriter = new BatchedWriter<>("accepted messages", messageIndex::record, MessageRecord::id,
                    records -> openSpool.markRecorded(records.stream().map(MessageRecord::id).toList()));
            var sending = config.sending();
            var trackingTokens = new TrackingToken(masterKey.derive("tracking"));
            var submission = new Submission(domainRepository, tenantRepository, tenants, domains, suppressions::suppressedAmong,
                    new Decorations(trackingTokens), spool, messageIndex, indexWriter, ids, clock,
                    new Submission.Limits(sending.maxRecipients(), sending.maxMessageBytes(), sending.hourlyCap(), sending.dailyCap()),
                    identityRepository::withEmail, config.identitiesFrom());
            var identities = new IdentityService(identityRepository, tenants, new DmarcDiscovery(resolver),
                    new IdentityConfirmations(submission, config.identitiesFrom()), ids, clock);
            try {
                LOG.info("Spool: {} messages handed to the message index after the last stop", submission.recover());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
            var bounceSuppression = new BounceSuppression(suppressions,
                    new SoftBounces(jdbi, config.softBounces().limit(), config.softBounces().window(), clock), events);
            var reputationSettings = new ReputationSettings(jdbi);
            var gate = new TenantGate(tenantRepository, reputationSettings, clock);
            tenants.onChange(gate::forget);
            var warmup = new Warmup(jdbi, config.warmup(), clock);
            if (config.delivery().enabled()) {
                redis = config.redisUrl().isEmpty() ? null : new JedisPooled(java.net.URI.create(config.redisUrl()));
                delivery = startDelivery(config, spool, messageIndex, verp, resolver, poolAssignments, redis, gate, warmup, metrics, bounceSuppression,
                        clock);
            } else {
                LOG.info("Delivery is off (delivery.enabled=false): accepted mail stays in the spool");
            }
            var idempotency = new IdempotencyKeys(jdbi, clock);
            webhooks = Webhooks.start(Webhooks.Settings.standard(config.webhooksAllowPrivate()), jdbi, ids, events, sealer,
                    tenant -> tenantRepository.find(Scope.AGENCY, tenant).isPresent(), clock);
            var offboarding = new Offboarding(tenants, new ArchiveRepository(jdbi, events),
                    new Offboarding.TenantQueue() {
                        public int cancel(String tenantId) throws InterruptedException {
                            return submission.cancelTenant(tenantId);
                        }

                        public boolean unfinished(String tenantId) {
                            return submission.hasUnfinished(tenantId);
                        }
                    }, config.offboardingRetention(), Pool.DEFAULT_ID, clock);
            housekeeping = housekeeping(spool, idempotency, offboarding, config.spoolRetention(), clock);
            var json = dev.mailroom.api.Json.mapper();
            var stats = new Stats(jdbi, clock, config.reputationMinVolume());
            var exportParts = new java.util.ArrayList<>(java.util.List.of(SuppressionCsv.exportPart(suppressions),
                    ExportParts.messagesJson(messageIndex, json), ExportParts.messagesCsv(messageIndex), ExportParts.events(events, json)));
            exportParts.addAll(new StatsExport(stats, clock).parts(json));
            var export = new TenantExport(tenants, domains, json, exportParts);

            var openIndexWriter = indexWriter;
            // a scanner may follow a link while the message's record still waits for its batch
            var tracker = new Tracker(trackingTokens,
                    id -> messageIndex.tracked(id).or(() -> openIndexWriter.unwritten(id).map(TrackedMessage::pending)),
                    // by id alone: a sender identity's mail is signed by, and links to, a domain of the agency's tenant
                    (tenant, domain) -> domainRepository.find(Scope.AGENCY, domain).map(Domain::name),
                    suppressions, events, config.platformDomain(), clock);
            var dmarcReports = new DmarcReports(jdbi, domainRepository, ids, clock);
            var alerts = new Alerts(jdbi, events, ids, clock);
            statsRollup = new StatsRollup(jdbi, events, statsPools(poolRepository, poolAssignments, tenantRepository), clock).start();
            var reputationConfig = config.reputation();
            var actions = new ReputationActions(jdbi, ids, clock);
            var autopilot = new Autopilot(stats, alerts, tenants, reputationSettings, actions, pools,
                    new Autopilot.Settings(reputationConfig.thresholds(), Duration.ofHours(24), config.delivery().shaping().tenantRate()), clock);
            var tiers = new Tiers(stats, actions, reputationConfig.tiers(), clock);
            var onboarding = new Onboarding(tenants, domainRepository, warmup, tiers, poolAssignments,
                    new Onboarding.Settings(reputationConfig.observationPeriod(), reputationConfig.applyTiers()), clock);
            reputation = new ReputationEngine(tenantRepository, pools, autopilot, onboarding, reputationConfig.interval()).start();
            // uncached: a check asked for right after a delisting or a DNS change must see it
            var blocklists = new Blocklists(jdbi, resolver.fresh(), pools, tenants, domainRepository, alerts,
                    new Blocklists.Settings(config.blocklists().ipZones(), config.blocklists().domainZones()), clock);
            var compliance = new Compliance(domains, domainRepository, poolAssignments, resolver.fresh(), new StatsTraffic(stats, clock), alerts, clock);
            checks = checks(blocklists, config.blocklists().interval(), compliance, config.complianceInterval());
            var users = new UserService(new UserRepository(jdbi), tenantRepository, new Passwords(Passwords.DEFAULT_COST), ids, clock);
            var health = new TenantHealth(tenants, pools, stats, alerts, actions, autopilot, warmup, tiers, blocklists, compliance, clock);
            var services = new ApiServer.Services(tenants, tenantRepository, domains, monitor, keys, credentials, events, suppressions,
                    dmarcReports, pools, poolAssignments, submission, idempotency, tracker, webhooks.service(), alerts, blocklists, compliance, warmup,
                    identities, users, stats, health, autopilot, reputationSettings, offboarding, export, clock, () -> isHealthy(database));
            var settings = new ApiServer.Settings(config.httpListen().host(), config.httpListen().port(), config.httpMaxRequestBytes());
            var dashboard = new Dashboard(new Dashboard.Settings(config.httpSecureCookies()),
                    new Dashboard.Services(users, new Sessions(jdbi, clock), tenantRepository, pools, clock,
                            health, stats, domains, monitor, dmarcReports, tenants, suppressions, events, submission, webhooks.service(),
                            poolAssignments, offboarding, autopilot, alerts, actions, blocklists));
            api = new ApiServer(settings, services, metrics, dashboard::register).start();
            smtp = submissionServer(config, submission, credentials, clock);
            inbound = inboundServer(config, new InboundAddresses(verp, trackingTokens, config.platformDomain()),
                    new FeedbackIntake(messageIndex, suppressions, verp,
                            request -> tracker.unsubscribeByMail(TrackingToken.Target.unsubscribe(request.messageId(), request.recipientIndex())),
                            dmarcReports, bounceSuppression, clock),
                    clock);
            LOG.info("Inbound MX on {}:{} (return paths, unsubscribe addresses, fbl@ and dmarc+<token>@{}, STARTTLS)",
                    config.smtpInboundListen().host(), inbound.port(), config.platformDomain());
            LOG.info("SMTP submission on {}:{} (STARTTLS, AUTH PLAIN/LOGIN)", config.smtpSubmissionListen().host(), smtp.port());
            monitor.start(MONITOR_TICK);
            if (config.dnsAuthoritativeListen() != null) {
                var zones = new PlatformZones(domainRepository, planner, config.platformDomain(), serverAddresses(config), pools::sendingAddresses,
                        ZONE_REFRESH, clock);
                domains.onChange(zones::invalidate);
                pools.onChange(zones::invalidate);
                var listen = config.dnsAuthoritativeListen();
                dns = new AuthoritativeServer(zones, new InetSocketAddress(listen.host(), listen.port())).start();
                LOG.info("DNS: authoritative for {} on {}:{} (UDP and TCP)", config.platformDomain(), listen.host(), dns.port());
            }
            LOG.info("Mailroom is up: API and dashboard on http://{}:{}, data in {}", config.httpListen().host(), api.port(), config.dataDir());
            return new Mailroom(database, spool, verp, trackingTokens, indexWriter, delivery, webhooks, redis, housekeeping, checks, api, smtp, inbound,
                    monitor, dns, gcMetrics, dmarcReports, statsRollup, reputation);
        } catch (IOException e) {
            closeQuietly(monitor, dns, smtp, inbound, api, reputation, statsRollup, stopper(housekeeping), stopper(checks), webhooks, delivery, redis,
                    indexWriter, spool, database);
            throw new UncheckedIOException("cannot start a listener (SMTP submission on " + config.smtpSubmissionListen()
                    + ", DNS on " + config.dnsAuthoritativeListen() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(monitor, dns, smtp, inbound, api, reputation, statsRollup, stopper(housekeeping), stopper(checks), webhooks, delivery, redis,
                    indexWriter, spool, database);
            throw e;
        }
    }

    public int httpPort() {
        return api.port();
    }

    public int smtpPort() {
        return smtp.port();
    }

    /** The port of the inbound MX. */
    public int inboundPort() {
        return inbound.port();
    }

    public ApiServer api() {
        return api;
    }

    /** The return paths of spooled messages (b-<message>-<recipient>-<mac>@rp.<domain>), keyed from the master key. */
    public Verp verp() {
        return verp;
    }

    /** The tokens of tracking and unsubscribe URLs, keyed from the master key. */
    public TrackingToken trackingTokens() {
        return trackingTokens;
    }

    /** Where DMARC aggregate reports go in (the inbound MX hands them over), for tests and tools. */
    public DmarcReports dmarcReports() {
        return dmarcReports;
    }

    /** The roll-up of the event log into stats, for tests and tools that want it caught up now. */
    public StatsRollup statsRollup() {
        return statsRollup;
    }

    /** The reputation engine, for tests that run it at moments they choose. */
    public ReputationEngine reputation() {
        return reputation;
    }

    /**
     * Which pool stats count an event under: its source address's pool, else the pool the
     * tenant's mail from that domain leaves from (the tenant's own when the domain is gone).
     */
    private static StatsRollup.Pools statsPools(PoolRepository pools, PoolAssignments assignments, TenantRepository tenants) {
        return new StatsRollup.Pools() {
            @Override
            public java.util.Optional<String> ofAddress(String address) {
                return pools.poolOf(address);
            }

            @Override
            public java.util.Optional<String> ofSender(String tenantId, String domainId) {
                try {
                    return java.util.Optional.of(assignments.poolFor(tenantId, domainId).id());
                } catch (NotFoundException gone) {
                    return tenants.find(Scope.AGENCY, tenantId).map(dev.mailroom.tenancy.Tenant::pool);
                }
            }
        };
    }

    /** The spool, for tests and tools that read what was accepted. */
    public Spool spool() {
        return spool;
    }

    @Override
    public void close() {
        monitor.close();
        if (dns != null) {
            dns.close();
        }
        // the front ends first, waiting for what they are handling; then what they wrote to
        smtp.close();
        inbound.close();
        api.close();
        reputation.close();
        statsRollup.close();
        housekeeping.shutdownNow();
        checks.shutdownNow();
        try {
            housekeeping.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            checks.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gcMetrics.close();
        webhooks.close();
        if (delivery != null) {
            delivery.close();
        }
        if (redis != null) {
            redis.close();
        }
        indexWriter.close();
        spool.close();
        database.close();
    }

    /** Delivery with its limits in Redis when redis.url is set (shared by every node), else in this process. */
    private static Delivery startDelivery(MailroomConfig config, Spool spool, MessageIndex index, Verp verp, DnsLookup dns,
            PoolAssignments pools, JedisPooled redis, TenantControls controls, Warmup warmup, io.micrometer.core.instrument.MeterRegistry metrics,
            BounceSuppression bounceSuppression, Clock clock) {
        var options = config.delivery();
        RateLimiter rates = redis == null ? new LocalRateLimiter(clock) : new RedisRateLimiter(redis);
        ConnectionLimiter connections = redis == null ? new LocalConnectionLimiter() : new RedisConnectionLimiter(redis);
        var random = java.util.concurrent.ThreadLocalRandom.current();
        var settings = new Delivery.Settings(options.mxPort(), options.tenantWindow(), options.noRouteAttempts(), options.idleTimeout(),
                ClientSettings.Timeouts.rfc5321(), options.shaping(),
                new RetrySchedule(options.retryFirstDelay(), options.retryMaxDelay(), options.retryMaxAge(), random));
        var egress = egressPolicy(config, pools, warmup, random);
        try {
            var delivery = Delivery.start(settings, spool, index, verp, dns, egress, rates, connections, controls, warmup, clock, random, metrics,
                    bounceSuppression::delivered);
            LOG.info("Delivery: to MX hosts on port {}{}, limits {}", options.mxPort(),
                    options.smarthost() == null ? "" : " (all through the smarthost " + options.smarthost() + ")", config.redisUrl().isEmpty() ? "in-process" : "in Redis");
            return delivery;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting delivery", e);
        }
    }

    /**
     * Where mail leaves: everything through delivery.smarthost when it is set; else the sending
     * domain's (or tenant's) pool, its addresses held to their warm-up caps.
     */
    private static EgressPolicy egressPolicy(MailroomConfig config, PoolAssignments pools, Warmup warmup,
            java.util.random.RandomGenerator random) {
        var global = config.delivery().smarthost();
        if (global != null) {
            var relay = new EgressPolicy.Send(new Egress.Relay(global.host(), global.port(), ClientSettings.TlsPolicy.OPPORTUNISTIC, null, null,
                    config.hostname()));
            return (recipient, now) -> relay;
        }
        return new PoolEgress(pools, warmup, config.hostname(), random);
    }

    /**
     * The inbound MX for what comes back: bounces to return paths, feedback-loop reports. No AUTH:
     * it takes mail only for Mailroom's own addresses. STARTTLS with a self-signed certificate, as
     * MTAs do not check certificates of MX hosts without DANE or MTA-STS.
     */
    private static SmtpServer inboundServer(MailroomConfig config, InboundAddresses addresses, FeedbackIntake intake, Clock clock) throws IOException {
        var tls = TlsMaterial.selfSigned(config.dataDir().resolve("tls"), "inbound", config.hostname(), clock);
        var settings = new SmtpServer.Settings(config.hostname(), INBOUND_MAX_MESSAGE_BYTES, INBOUND_MAX_RECIPIENTS, SMTP_LINE_LIMIT, 1, false,
                Duration.ofMinutes(5), config.smtpSubmission().maxConnections());
        var listen = config.smtpInboundListen();
        return new SmtpServer(new InetSocketAddress(listen.host(), listen.port()), settings, tls.sslContext(),
                InboundHandler.factory(addresses, intake)).start();
    }

    /** SMTP submission with STARTTLS: the configured certificate, or a self-signed one kept in data_dir/tls. */
    private static SmtpServer submissionServer(MailroomConfig config, Submission submission, SmtpCredentialService credentials, Clock clock)
            throws IOException {
        var options = config.smtpSubmission();
        var tls = options.tlsCert() != null
                ? TlsMaterial.fromPem(options.tlsCert(), options.tlsKey())
                : TlsMaterial.selfSigned(config.dataDir().resolve("tls"), "submission", config.hostname(), clock);
        var sending = config.sending();
        var settings = new SmtpServer.Settings(config.hostname(), sending.maxMessageBytes(), sending.maxRecipients(), SMTP_LINE_LIMIT,
                options.maxAuthFailures(), options.loopbackAuthWithoutTls(), options.idleTimeout(), options.maxConnections());
        var listen = config.smtpSubmissionListen();
        return new SmtpServer(new InetSocketAddress(listen.host(), listen.port()), settings, tls.sslContext(),
                SmtpSubmissionHandler.factory(submission, credentials, config.hostname())).start();
    }

    private static java.util.concurrent.ScheduledExecutorService housekeeping(Spool spool, IdempotencyKeys idempotency, Offboarding offboarding,
            Duration retention, Clock clock) {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("housekeeping").factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                int removed = spool.removeFinishedBefore(clock.instant().minus(retention));
                int expired = idempotency.purgeExpired();
                int released = offboarding.releaseDrainedPools();
                int purged = offboarding.purgeExpired();
                LOG.info("Housekeeping: {} finished messages removed from the spool, {} idempotency keys expired, "
                        + "{} offboarded tenants left their pools, {} archives ended and purged", removed, expired, released, purged);
            } catch (RuntimeException e) {
                LOG.warn("housekeeping failed; it runs again in {}", HOUSEKEEPING_TICK, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping
            }
        }, 1, HOUSEKEEPING_TICK.toMinutes(), java.util.concurrent.TimeUnit.MINUTES);
        return executor;
    }


    /** The blocklist and compliance checks, each every its interval (null: off), the first a minute after start. */
    private static java.util.concurrent.ScheduledExecutorService checks(Blocklists blocklists, Duration blocklistInterval, Compliance compliance,
            Duration complianceInterval) {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("reputation-checks").factory());
        if (blocklistInterval != null) {
            schedule(executor, blocklistInterval, "blocklist check", () -> {
                var run = blocklists.check();
                LOG.info("Blocklists: {} queries, {} listings, {} without a verdict", run.queries(), run.listed().size(), run.failures().size());
            });
        }
        if (complianceInterval != null) {
            schedule(executor, complianceInterval, "compliance check",
                    () -> LOG.info("Compliance: {} verified domains checked against the bulk-sender rules", compliance.checkAll()));
        }
        return executor;
    }

    private static void schedule(java.util.concurrent.ScheduledExecutorService executor, Duration interval, String what, Runnable task) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed; it runs again in {}", what, interval, e);
            }
        }, Duration.ofMinutes(1).toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static AutoCloseable stopper(java.util.concurrent.ExecutorService executor) {
        return executor == null ? null : executor::shutdownNow;
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (var part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    LOG.warn("closing {} after a failed start", part, e);
                }
            }
        }
    }

    /** The addresses the platform zone gives for ns., mx. and track.: configured, else those of {@code hostname}. */
    private static java.util.List<java.net.InetAddress> serverAddresses(MailroomConfig config) {
        if (!config.dnsAuthoritativeAddresses().isEmpty()) {
            return config.dnsAuthoritativeAddresses();
        }
        try {
            return java.util.List.of(java.net.InetAddress.getAllByName(config.hostname()));
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException(java.util.List.of("dns.authoritative.addresses: not set, and hostname " + config.hostname()
                    + " does not resolve; give the addresses this installation is reached at"));
        }
    }

    private static void createDataDir(MailroomConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data_dir " + config.dataDir(), e);
        }
    }

    private static boolean isHealthy(Database database) {
        try {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void announce(PrintStream console, String secret) {
        console.println();
        console.println("An agency admin API key was generated. It is shown this once; store it now:");
        console.println();
        console.println("    " + secret);
        console.println();
        console.println("(Set admin_key / MAILROOM_ADMIN_KEY to choose the key yourself.)");
        console.println();
        console.flush();
    }
}
