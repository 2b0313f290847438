package dev.mailroom.reputation;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAddress;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.store.Page;
import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantService;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNSBL checks: every address of every pool against the IP lists, every verified sending domain
 * (and its organisational domain, which is what domain lists list) against the domain lists.
 * A listing is kept in {@code blocklist_listings} and raised as a {@code blocklisted} alert: on
 * the IP for the agency, on the domain for its tenant. A subject no list names any more has its
 * alert resolved. A failed or refused query changes nothing: it says nothing about the listing.
 */
public final class Blocklists {
    public static final String ALERT_KIND = "blocklisted";
    private static final Logger LOG = LoggerFactory.getLogger(Blocklists.class);
    /** Queries in flight at once: lists rate-limit resolvers, and a run is not in a hurry. */
    private static final int PARALLEL_QUERIES = 16;
    private static final String COLUMNS = "subject_kind, subject, zone, code, reason, listed_since, last_checked";
    private final Jdbi jdbi;
    private final DnsLookup dns;
    private final PoolService pools;
    private final TenantService tenants;
    private final DomainRepository domains;
    private final Alerts alerts;
    private final Settings settings;
    private final Clock clock;

    /** The lists to ask: zones of IP lists (e.g. zen.spamhaus.org) and of domain lists (e.g. dbl.spamhaus.org). */
    public record Settings(List<String> ipZones, List<String> domainZones) {
        public Settings {
            ipZones = List.copyOf(ipZones);
            domainZones = List.copyOf(domainZones);
        }
    }

    /** A question of a run that got no verdict: the list refused it or DNS failed. */
    public record Failure(Listing.Kind kind, String subject, String zone, String reason) {}

    /** What a run asked and found: {@code listed} is every listing known after it. */
    public record Run(Instant checkedAt, int queries, List<Listing> listed, List<Failure> failures) {}

    public Blocklists(Jdbi jdbi, DnsLookup dns, PoolService pools, TenantService tenants, DomainRepository domains, Alerts alerts,
            Settings settings, Clock clock) {
        this.jdbi = jdbi;
        this.dns = dns;
        this.pools = pools;
        this.tenants = tenants;
        this.domains = domains;
        this.alerts = alerts;
        this.settings = settings;
        this.clock = clock;
    }

    private record Question(Listing.Kind kind, String subject, String zone, String name) {}

    private record Verdict(Question question, Dnsbl.Result result) {}

    /** Asks every list about every subject now, records what changed and raises or resolves the alerts. */
    public synchronized Run check() {
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var addresses = poolsByAddress();
        var sending = SendingDomains.verified(domains);
        var names = domainsByListedName(sending);
        var questions = new ArrayList<Question>();
        for (var address : addresses.keySet()) {
            for (var zone : settings.ipZones()) {
                questions.add(new Question(Listing.Kind.IP, address, zone, Dnsbl.queryName(InetAddress.ofLiteral(address), zone)));
            }
        }
        for (var name : names.keySet()) {
            for (var zone : settings.domainZones()) {
                questions.add(new Question(Listing.Kind.DOMAIN, name, zone, Dnsbl.queryName(name, zone)));
            }
        }
        var failures = new ArrayList<Failure>();
        for (var verdict : ask(questions)) {
            var question = verdict.question();
            switch (verdict.result()) {
                case Dnsbl.Result.Listed listed -> record(question, listed, now);
                case Dnsbl.Result.NotListed ignored -> delete(question.kind(), question.subject(), question.zone());
                case Dnsbl.Result.Refused refused -> failures.add(new Failure(question.kind(), question.subject(), question.zone(),
                        refused.code() + ": " + refused.meaning()));
                case Dnsbl.Result.Failed failed -> failures.add(new Failure(question.kind(), question.subject(), question.zone(), failed.reason()));
            }
        }
        logFailures(failures);
        var asked = new HashSet<String>();
        questions.forEach(question -> asked.add(key(question.kind(), question.subject(), question.zone())));
        // addresses taken out of pools, domains deleted, lists no longer configured: not listed as far as we know
        listings().stream().filter(listing -> !asked.contains(key(listing.kind(), listing.subject(), listing.zone())))
                .forEach(listing -> delete(listing.kind(), listing.subject(), listing.zone()));
        var listed = listings();
        announce(listed, addresses, names);
        return new Run(now, questions.size(), listed, List.copyOf(failures));
    }

    /** Every listing known now, IPs first, then by subject and zone. */
    public List<Listing> listings() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM blocklist_listings ORDER BY subject_kind DESC, subject, zone")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** The listings of a tenant's domains (and their organisational domains) and of the addresses of its pools. */
    public List<Listing> listingsForTenant(String tenantId) {
        var tenant = tenants.get(Scope.AGENCY, tenantId);
        var own = SendingDomains.all(domains, Scope.tenant(tenantId));
        var poolIds = new LinkedHashSet<String>();
        poolIds.add(tenant.pool());
        own.stream().map(Domain::pool).filter(java.util.Objects::nonNull).forEach(poolIds::add);
        var addresses = poolIds.stream().flatMap(id -> pools.get(id).addresses().stream()).map(PoolAddress::address).toList();
        return select(addresses, domainsByListedName(own).keySet());
    }

    /** The listings of a pool's addresses. */
    public List<Listing> listingsForPool(String poolId) {
        return select(pools.get(poolId).addresses().stream().map(PoolAddress::address).toList(), List.of());
    }

    private List<Listing> select(Collection<String> addresses, Collection<String> names) {
        var result = new ArrayList<Listing>();
        listings().forEach(listing -> {
            if (listing.kind() == Listing.Kind.IP ? addresses.contains(listing.subject()) : names.contains(listing.subject())) {
                result.add(listing);
            }
        });
        return result;
    }

    /** Every pool address with its pool. */
    private Map<String, Pool> poolsByAddress() {
        var result = new TreeMap<String, Pool>();
        String cursor = null;
        do {
            var page = pools.list(cursor, Page.MAX_LIMIT);
            page.data().forEach(pool -> pool.addresses().forEach(address -> result.put(address.address(), pool)));
            cursor = page.nextCursor();
        } while (cursor != null);
        return result;
    }

    /** Each name to ask domain lists about, with the sending domains it stands for: their own name and their organisational domain. */
    private static Map<String, List<Domain>> domainsByListedName(List<Domain> sending) {
        var result = new TreeMap<String, List<Domain>>();
        for (var domain : sending) {
            for (var name : new LinkedHashSet<>(List.of(domain.name(), DomainNames.organisationalDomain(domain.name())))) {
                result.computeIfAbsent(name, n -> new ArrayList<>()).add(domain);
            }
        }
        return result;
    }

    private List<Verdict> ask(List<Question> questions) {
        var permits = new Semaphore(PARALLEL_QUERIES);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Verdict>>();
            for (var question : questions) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return new Verdict(question, Dnsbl.interpret(dns.a(question.name()), () -> dns.txt(question.name())));
                    } finally {
                        permits.release();
                    }
                }));
            }
            var verdicts = new ArrayList<Verdict>();
            for (var future : futures) {
                verdicts.add(future.get());
            }
            return verdicts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the blocklists", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a blocklist query failed", e.getCause());
        }
    }

    private void record(Question question, Dnsbl.Result.Listed listed, Instant now) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE blocklist_listings SET code = :code, reason = :reason, last_checked = :now "
                            + "WHERE subject_kind = :kind AND subject = :subject AND zone = :zone")
                    .bind("code", listed.code()).bind("reason", cut(listed.reason())).bind("now", Rows.timestamp(now))
                    .bind("kind", question.kind().name()).bind("subject", question.subject()).bind("zone", question.zone()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO blocklist_listings (" + COLUMNS + ") VALUES (:kind, :subject, :zone, :code, :reason, :now, :now)")
                        .bind("code", listed.code()).bind("reason", cut(listed.reason())).bind("now", Rows.timestamp(now))
                        .bind("kind", question.kind().name()).bind("subject", question.subject()).bind("zone", question.zone()).execute();
            }
        });
    }

    private void delete(Listing.Kind kind, String subject, String zone) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM blocklist_listings WHERE subject_kind = :kind AND subject = :subject AND zone = :zone")
                .bind("kind", kind.name()).bind("subject", subject).bind("zone", zone).execute());
    }

    /** Raises an alert for every listed IP and for every domain whose name is listed; resolves the rest. */
    private void announce(List<Listing> listed, Map<String, Pool> addresses, Map<String, List<Domain>> names) {
        var byIp = new LinkedHashMap<String, List<Listing>>();
        var byDomain = new LinkedHashMap<Domain, List<Listing>>();
        for (var listing : listed) {
            if (listing.kind() == Listing.Kind.IP) {
                byIp.computeIfAbsent(listing.subject(), s -> new ArrayList<>()).add(listing);
            } else {
                for (var domain : names.getOrDefault(listing.subject(), List.of())) {
                    byDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(listing);
                }
            }
        }
        var raised = new HashSet<Alert.Subject>();
        byIp.forEach((address, listings) -> {
            var subject = new Alert.Subject(null, "ip", address);
            var data = data(listings);
            var pool = addresses.get(address);
            var where = "";
            if (pool != null) { // null only when another node recorded an address this run did not see yet
                data.put("pool_id", pool.id());
                data.put("pool_name", pool.name());
                where = " (pool " + pool.name() + ")";
            }
            alerts.raise(subject, ALERT_KIND, severity(listings), address + where + " is listed on " + zones(listings), data);
            raised.add(subject);
        });
        byDomain.forEach((domain, listings) -> {
            var subject = new Alert.Subject(domain.tenantId(), "domain", domain.id());
            var what = listings.stream().map(Listing::subject).distinct()
                    .map(name -> name.equals(domain.name()) ? name : name + " (the organisational domain of " + domain.name() + ")").toList();
            var data = data(listings);
            data.put("domain", domain.name());
            alerts.raise(subject, ALERT_KIND, severity(listings), String.join(" and ", what) + " is listed on " + zones(listings), data);
            raised.add(subject);
        });
        OpenAlerts.resolveExcept(alerts, ALERT_KIND, raised, "no checked blocklist lists it any more");
    }

    /**
     * Critical when a Spamhaus list (public mirrors under spamhaus.org, Data Query Service under
     * spamhaus.net) names the subject: the big mailbox providers act on Spamhaus listings; a
     * listing elsewhere is a warning to look at.
     */
    private static Alert.Severity severity(List<Listing> listings) {
        return listings.stream().anyMatch(listing -> listing.zone().endsWith(".spamhaus.org") || listing.zone().endsWith(".spamhaus.net"))
                ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
    }

    private static String zones(List<Listing> listings) {
        return String.join(", ", listings.stream().map(listing -> listing.zone() + (listing.reason() == null ? "" : " (" + listing.reason() + ")")).toList());
    }

    private static Map<String, Object> data(List<Listing> listings) {
        var data = new LinkedHashMap<String, Object>();
        data.put("listings", listings.stream().map(listing -> {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("name", listing.subject());
            entry.put("zone", listing.zone());
            entry.put("code", listing.code());
            entry.put("reason", listing.reason());
            return entry;
        }).toList());
        return data;
    }

    private static void logFailures(List<Failure> failures) {
        var byZone = new TreeMap<String, List<Failure>>();
        failures.forEach(failure -> byZone.computeIfAbsent(failure.zone(), z -> new ArrayList<>()).add(failure));
        byZone.forEach((zone, list) -> LOG.warn("Blocklists: {} of the queries to {} got no verdict, e.g. {}: {}", list.size(), zone,
                list.getFirst().subject(), list.getFirst().reason()));
    }

    private static String key(Listing.Kind kind, String subject, String zone) {
        return kind + " " + subject + " " + zone;
    }

    private static String cut(String reason) {
        return reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 2000);
    }

    private static Listing map(ResultSet rs) throws SQLException {
        return new Listing(Listing.Kind.valueOf(rs.getString("subject_kind")), rs.getString("subject"), rs.getString("zone"),
                rs.getString("code"), rs.getString("reason"), Rows.instant(rs, "listed_since"), Rows.instant(rs, "last_checked"));
    }
}
