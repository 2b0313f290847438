package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.MxHost;
import dev.mailroom.spool.QueuedRecipient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Traffic-shaping rules, back-off levels and the fair queue of a lane. */
class ShapingTest {
    private static final Shaping.SiteLimits DEFAULTS = new Shaping.SiteLimits(10, 100, null, false);

    @Test
    void providerRulesMatchBySuffixAndFillInTheDefaults() {
        var gmail = Shaping.ProviderRule.parse("gmail mx=google.com|googlemail.com connections=20 rate=3000/m tls=require", DEFAULTS);
        var yahoo = Shaping.ProviderRule.parse("yahoo mx=yahoodns.net per_connection=20", DEFAULTS);
        var shaping = new Shaping(DEFAULTS, List.of(gmail, yahoo), new Shaping.SourceLimits(100, null), null,
                new Shaping.Backoff(Rate.parse("60/m"), 10, 8));
        assertThat(shaping.limitsFor(List.of(new MxHost(5, "gmail-smtp-in.l.google.com"), new MxHost(10, "alt1.gmail-smtp-in.l.google.com"))))
                .isEqualTo(new Shaping.SiteLimits(20, 100, new Rate(3000, Duration.ofMinutes(1)), true));
        assertThat(shaping.limitsFor(List.of(new MxHost(1, "MTA7.AM0.YahooDNS.net")))).isEqualTo(new Shaping.SiteLimits(10, 20, null, false));
        assertThat(shaping.limitsFor(List.of(new MxHost(1, "mx.notgoogle.com")))).as("a suffix is whole labels").isEqualTo(DEFAULTS);
        assertThat(shaping.limitsFor(List.of(new MxHost(1, "mx.example.net")))).isEqualTo(DEFAULTS);
    }

    @Test
    void badRulesAndRatesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Shaping.ProviderRule.parse("gmail connections=20", DEFAULTS)).hasMessageContaining("mx=");
        assertThatThrownBy(() -> Shaping.ProviderRule.parse("gmail mx=google.com connections=0", DEFAULTS)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Shaping.ProviderRule.parse("gmail mx=google.com speed=3", DEFAULTS)).hasMessageContaining("unknown key 'speed'");
        assertThatThrownBy(() -> Shaping.ProviderRule.parse("gmail mx=google.com tls=maybe", DEFAULTS)).hasMessageContaining("tls");
        assertThatThrownBy(() -> Rate.parse("10 per second")).hasMessageContaining("10/s");
        assertThat(Rate.parse("600/m")).isEqualTo(new Rate(600, Duration.ofMinutes(1)));
        assertThat(Rate.parse("60/m").halved(2)).isEqualTo(new Rate(15, Duration.ofMinutes(1)));
        assertThat(Rate.parse("2/s").halved(2)).isEqualTo(new Rate(1, Duration.ofSeconds(2)));
        // a halved rate is stored as text (a throttle) and read back
        for (var rate : new String[] {"1/s", "1/m", "3/h", "600/m"}) {
            var halved = Rate.parse(rate).halved(1);
            assertThat(Rate.parse(halved.toString())).isEqualTo(halved);
        }
        assertThat(Rate.parse("1/2000ms")).isEqualTo(new Rate(1, Duration.ofSeconds(2)));
    }

    @Test
    void aSiteBacksOffOneLevelPerBurstOfRefusalsAndRecoversAfterDeliveries() {
        var now = new Instant[] {Instant.parse("2026-11-24T10:00:00Z")};
        var clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        var backoff = new SiteBackoff(new Shaping.Backoff(Rate.parse("10/s"), 3, 4), clock);
        var site = new ReceivingSite("mx.example.net");
        var limits = new Shaping.SiteLimits(8, 100, null, false);
        assertThat(backoff.connections(site, limits)).isEqualTo(8);
        assertThat(backoff.rate(site, limits)).isNull();

        for (int i = 0; i < 8; i++) {
            backoff.slowDown(site); // every open connection hears 421 at once: one step
        }
        assertThat(backoff.level(site)).isEqualTo(1);
        assertThat(backoff.connections(site, limits)).isEqualTo(4);
        assertThat(backoff.rate(site, limits)).as("smooth: one per interval").isEqualTo(new Rate(1, Duration.ofMillis(100)));
        now[0] = now[0].plusSeconds(2);
        backoff.slowDown(site);
        assertThat(backoff.level(site)).isEqualTo(2);
        assertThat(backoff.rate(site, limits)).isEqualTo(new Rate(1, Duration.ofMillis(200)));
        assertThat(backoff.connections(site, limits)).isEqualTo(2);

        for (int i = 0; i < 3; i++) {
            backoff.delivered(site);
        }
        assertThat(backoff.level(site)).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            backoff.delivered(site);
        }
        assertThat(backoff.level(site)).isZero();
        assertThat(backoff.connections(site, limits)).isEqualTo(8);
    }

    private static QueuedRecipient recipient(String tenant, int priority, String id) {
        return new QueuedRecipient(tenant, priority, 0, id, 0, "r@example.net", 0, "dom", "rp.example.com", Instant.EPOCH);
    }

    @Test
    void aLaneServesTenantsInTurnAndTransactionalMailFirst() throws Exception {
        var queue = new FairQueue();
        for (int i = 0; i < 1000; i++) {
            queue.add(recipient("tnt_a", 2, "msg_a" + i));
        }
        queue.add(recipient("tnt_b", 0, "msg_b1"));
        queue.add(recipient("tnt_b", 0, "msg_b2"));
        queue.add(recipient("tnt_a", 0, "msg_a_reset"));
        var order = new ArrayList<String>();
        for (int i = 0; i < 6; i++) {
            order.add(queue.poll(0).messageId());
        }
        assertThat(order).containsExactly("msg_a_reset", "msg_b1", "msg_a0", "msg_b2", "msg_a1", "msg_a2");
        assertThat(queue.size()).isEqualTo(1000 - 3);
        assertThat(queue.drain()).hasSize(997);
        assertThat(queue.poll(10)).isNull();
    }
}
