package dev.mailroom.dns.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.InMemoryZone;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the RFC 7208 suite leaves out: the evaluator's own settings, clock and reuse. */
class SpfEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.10");

    private final InMemoryZone zone = new InMemoryZone()
            .txt("example.com", "v=spf1 a:mail.example.com -all exp=why.example.com")
            .a("mail.example.com", "192.0.2.1")
            .txt("why.example.com", "%{c} may not send for %{d} (checked by %{r} at %{t})");

    @Test
    void explainsAFailWithTheReceivingHostAndTheClock() {
        var evaluator = new SpfEvaluator(zone, Clock.fixed(NOW, ZoneOffset.UTC), "mx.receiver.example", SpfEvaluator.DEFAULT_EXPLANATION);
        assertThat(evaluator.check(CLIENT, "someone@example.com", "client.example.org"))
                .isEqualTo(new SpfResult.Fail("192.0.2.10 may not send for example.com (checked by mx.receiver.example at 1767225600)"));
    }

    @Test
    void fallsBackToTheDefaultExplanation() {
        zone.txt("other.example", "v=spf1 -all");
        var evaluator = new SpfEvaluator(zone, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(evaluator.check(CLIENT, "", "other.example"))
                .isEqualTo(new SpfResult.Fail("192.0.2.10 is not allowed to send mail for other.example"));
    }

    @Test
    void treatsAnIpv4MappedClientAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        var client = Inet6Address.getByAddress(null, mapped, -1);
        var evaluator = new SpfEvaluator(zone, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(evaluator.check(client, "someone@example.com", "client.example.org")).isEqualTo(new SpfResult.Pass());
    }

    @Test
    void countsLookupsPerCheckNotPerEvaluator() {
        zone.txt("busy.example", "v=spf1 a:mail.example.com a:mail.example.com a:mail.example.com a:mail.example.com -all");
        var evaluator = new SpfEvaluator(zone, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(evaluator.check(InetAddress.ofLiteral("192.0.2.1"), "a@busy.example", "h.example")).isEqualTo(new SpfResult.Pass());
        }
    }

    @Test
    void givesUpWithTempErrorWhenTheCheckTakesTooLong() {
        zone.txt("slow.example", "v=spf1 a:mail.example.com a:mail.example.com a:mail.example.com a:mail.example.com -all");
        var evaluator = new SpfEvaluator(zone, new SteppingClock(NOW, Duration.ofSeconds(6)));
        assertThat(evaluator.check(CLIENT, "a@slow.example", "h.example"))
                .isEqualTo(new SpfResult.TempError("the check took longer than 20 seconds"));
    }

    /** A clock that moves on by a step each time it is read, as if every DNS query were slow. */
    private static final class SteppingClock extends Clock {
        private Instant now;
        private final Duration step;

        SteppingClock(Instant start, Duration step) {
            this.now = start;
            this.step = step;
        }

        @Override
        public Instant instant() {
            var current = now;
            now = now.plus(step);
            return current;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
