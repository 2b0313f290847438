package dev.mailroom.tenancy;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.verify.RecordCheck;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.dns.verify.RecordVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks sending domains' DNS records: on request, and in the background on the
 * {@link MonitorSchedule}. A domain is {@code verified} when every required record is; a
 * verified domain whose required record breaks becomes {@code failing} (and its mail must be
 * held). A lookup that fails leaves a record's state as it was, so a timeout alone never
 * turns a verified domain into a failing one. Changes emit {@code domain.verified} and
 * {@code domain.failing}.
 */
public final class DomainMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainMonitor.class);
    private static final int BATCH = 50;
    private final DomainService domains;
    private final DomainRepository repository;
    private final RecordVerifier scheduled;
    private final RecordVerifier onDemand;
    private final DkimRotation rotation;
    private final MonitorSchedule schedule;
    private final Clock clock;
    private volatile Thread loop;

    /**
     * @param scheduled the verifier for background checks (a cached resolver: answers keep for their TTL)
     * @param onDemand  the verifier for checks a person asks for (uncached: they have just changed DNS)
     */
    public DomainMonitor(DomainService domains, DomainRepository repository, RecordVerifier scheduled, RecordVerifier onDemand,
            DkimRotation rotation, MonitorSchedule schedule, Clock clock) {
        this.rotation = rotation;
        this.domains = domains;
        this.repository = repository;
        this.scheduled = scheduled;
        this.onDemand = onDemand;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** Checks a domain now, bypassing cached answers (and moves a key rotation on), and returns it with what was found. */
    public DomainDetails verifyNow(Scope scope, String domainId) {
        rotation.advance(domains.get(scope, domainId).domain());
        var details = domains.get(scope, domainId);
        check(details, onDemand);
        return domains.get(scope, domainId);
    }

    /** Checks every domain that is due; returns how many were checked. */
    public int runDueChecks() {
        int checked = 0;
        List<Domain> due;
        do {
            due = repository.due(clock.instant(), BATCH);
            for (var domain : due) {
                try {
                    check(domains.details(List.of(domain)).getFirst(), scheduled);
                } catch (RuntimeException e) {
                    LOG.warn("checking {} failed", domain.name(), e);
                    repository.postponeCheck(domain.id(), clock.instant().plus(schedule.initialInterval()));
                }
                checked++;
            }
        } while (due.size() == BATCH);
        return checked;
    }

    /** Runs {@link #runDueChecks()} and moves key rotations on every {@code tick}, on a virtual thread until closed. */
    public void start(Duration tick) {
        loop = Thread.ofVirtual().name("domain-monitor").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    rotation.advanceAll();
                    runDueChecks();
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("domain monitoring round failed", e);
                }
            }
        });
    }

    @Override
    public void close() {
        var running = loop;
        if (running != null) {
            running.interrupt();
        }
    }

    private void check(DomainDetails details, RecordVerifier verifier) {
        var domain = details.domain();
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var previous = repository.recordStates(List.of(domain.id())).getOrDefault(domain.id(), Map.of());
        var states = new LinkedHashMap<String, RecordState>();
        for (var record : details.records()) {
            var key = RecordState.key(record.name(), record.type());
            switch (verifier.check(record)) {
                case RecordCheck.Known known -> states.put(key, new RecordState(record.name(), record.type(), known.status(), known.detail(), now));
                case RecordCheck.Unknown unknown -> {
                    var before = previous.get(key);
                    var status = before == null ? RecordStatus.PENDING : before.status();
                    states.put(key, new RecordState(record.name(), record.type(), status,
                            "lookup failed (" + unknown.reason() + "); keeping the last known state", now));
                }
            }
        }
        var status = statusOf(domain.status(), details.records(), states);
        var events = new ArrayList<DomainRepository.DomainEvent>();
        if (status != domain.status() && status == DomainStatus.VERIFIED) {
            events.add(new DomainRepository.DomainEvent("domain.verified", Map.of("domain_id", domain.id(), "name", domain.name())));
        } else if (status != domain.status() && status == DomainStatus.FAILING) {
            var broken = details.records().stream().filter(DnsRecord::required)
                    .map(record -> states.get(RecordState.key(record.name(), record.type())))
                    .filter(state -> state.status() != RecordStatus.VERIFIED)
                    .map(state -> Map.of("name", state.name(), "type", state.type(), "status", state.status().name().toLowerCase(java.util.Locale.ROOT), "detail", state.detail()))
                    .toList();
            events.add(new DomainRepository.DomainEvent("domain.failing", Map.of("domain_id", domain.id(), "name", domain.name(), "records", broken)));
        }
        repository.saveChecks(domain, List.copyOf(states.values()), status, now, schedule.next(domain, status, now), events);
    }

    /** All required records verified: verified. A verified domain with a broken required record: failing. */
    static DomainStatus statusOf(DomainStatus before, List<DnsRecord> records, Map<String, RecordState> states) {
        boolean allVerified = true;
        boolean anyBroken = false;
        for (var record : records) {
            if (!record.required()) {
                continue;
            }
            var status = states.get(RecordState.key(record.name(), record.type())).status();
            allVerified &= status == RecordStatus.VERIFIED;
            anyBroken |= status == RecordStatus.MISSING || status == RecordStatus.INVALID;
        }
        if (allVerified) {
            return DomainStatus.VERIFIED;
        }
        if (before == DomainStatus.PENDING) {
            return DomainStatus.PENDING;
        }
        return anyBroken ? DomainStatus.FAILING : before;
    }
}
