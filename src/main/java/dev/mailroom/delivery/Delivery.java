package dev.mailroom.delivery;

import dev.mailroom.dns.DnsLookup;
import dev.mailroom.events.BatchedWriter;
import dev.mailroom.events.DeliveryReport;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.message.Verp;
import dev.mailroom.smtp.ClientSettings;
import dev.mailroom.spool.Spool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery, assembled: the scheduler takes due recipients from the spool tenant by tenant, the
 * router finds each one's egress and receiving site, lanes (egress x site) carry them over reused
 * connections within the traffic-shaping limits, and the recorder settles every attempt in the
 * spool and reports it to the message index and the event log.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    /** How long stopping waits for connections in the middle of a transaction. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private final Spool spool;
    private final BatchedWriter<DeliveryReport> reports;
    private final Router router;
    private final Scheduler scheduler;
    private final AtomicBoolean stopping;

    /**
     * @param mxPort the port of MX hosts (25; tests point it elsewhere)
     * @param tenantWindow recipients of one tenant held in memory at most
     * @param noRouteAttempts a domain with neither MX nor address bounces after this many attempts
     * @param idleTimeout how long a connection waits for its lane's next recipient before it closes
     */
    public record Settings(int mxPort, int tenantWindow, int noRouteAttempts, Duration idleTimeout, ClientSettings.Timeouts timeouts,
            Shaping shaping, RetrySchedule retries) {
        public Settings {
            if (tenantWindow < 4 || noRouteAttempts < 1) {
                throw new IllegalArgumentException("a tenant window holds at least 4 recipients; a route needs at least one attempt");
            }
        }
    }

    private Delivery(Spool spool, BatchedWriter<DeliveryReport> reports, Router router, Scheduler scheduler, AtomicBoolean stopping) {
        this.spool = spool;
        this.reports = reports;
        this.router = router;
        this.scheduler = scheduler;
        this.stopping = stopping;
    }

    /**
     * Starts delivery: first the reports a crash left unwritten are recorded, then the scheduler
     * takes up every recipient the spool holds.
     *
     * @param caps daily caps (warm-up) the scheduler holds recipients to
     * @param onReported hears every report once it is in the database (bounces suppress addresses)
     */
    public static Delivery start(Settings settings, Spool spool, MessageIndex index, Verp verp, DnsLookup dns, EgressPolicy egress,
            RateLimiter rates, ConnectionLimiter connections, TenantControls controls, DailyCaps caps, Clock clock, RandomGenerator random,
            MeterRegistry metrics,
            Consumer<List<DeliveryReport>> onReported) throws InterruptedException {
        // the spool forgets a report only once whoever listens has it: a crash in between replays it
        var reports = new BatchedWriter<DeliveryReport>("delivery reports", index::report, DeliveryReport::id, written -> {
            onReported.accept(written);
            spool.reported(written.stream().map(r -> new Spool.ReportKey(r.messageId(), r.spoolIndex(), r.attempts())).toList());
        });
        var replay = new ArrayList<DeliveryReport>();
        spool.unreported(bytes -> replay.add(DeliveryReport.decode(bytes)));
        if (!replay.isEmpty()) {
            LOG.info("Delivery: {} reports from before the last stop are recorded now", replay.size());
            for (int from = 0; from < replay.size(); from += 1000) {
                reports.addWaiting(replay.subList(from, Math.min(replay.size(), from + 1000)));
            }
        }
        var stopping = new AtomicBoolean();
        var scheduler = new Scheduler(spool, rates, settings.shaping().tenantRate(), controls, settings.tenantWindow(), caps, clock);
        var recorder = new DeliveryRecorder(spool, reports, settings.retries(), clock, scheduler::release, metrics);
        Gauge.builder("mailroom.delivery.held", scheduler, Scheduler::held)
                .description("Recipients taken from the spool's queue into delivery (each tenant holds at most its window)").register(metrics);
        var context = new LaneContext(spool, verp, dns, rates, connections, settings.shaping(), new SiteBackoff(settings.shaping().backoff(), clock),
                recorder, controls, settings.timeouts(), settings.idleTimeout(), stopping);
        var router = new Router(new MxRouter(dns, random), egress, context, settings.mxPort(), settings.noRouteAttempts(), clock);
        spool.onRecorded(scheduler::wake);
        scheduler.start(router::dispatch, router::kick);
        return new Delivery(spool, reports, router, scheduler, stopping);
    }

    /** Recipients held in memory now (for tests and metrics). */
    public int held() {
        return scheduler.held();
    }

    /** Waits until every report so far is in the database (tests). */
    public boolean flushReports(Duration timeout) throws InterruptedException {
        return reports.flush(timeout);
    }

    private boolean awaitSessions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (router.lanes().stream().anyMatch(lane -> lane.sessions() > 0)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        spool.onRecorded(() -> {});
        scheduler.close();
        stopping.set(true);
        router.lanes().forEach(lane -> lane.queue().release());
        if (!awaitSessions(STOP_WAIT)) {
            // still in a transaction (or waiting out a rate): cut them off, the spool keeps their recipients queued
            router.lanes().forEach(Lane::interruptSessions);
            if (!awaitSessions(Duration.ofSeconds(5))) {
                LOG.warn("delivery connections did not stop in time");
            }
        }
        router.close();
        reports.close();
    }
}
