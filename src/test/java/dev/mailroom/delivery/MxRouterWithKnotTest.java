package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.CachingResolver;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.MxHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes read through Mailroom's resolver from a real zone served by knotd. */
class MxRouterWithKnotTest {
    @TempDir
    Path dir;

    @Test
    void readsMxImplicitAndNullMxFromARealServer() throws Exception {
        try (var knot = KnotServer.start(dir, "clienta.example", List.of(
                "clienta.example. IN MX 10 mx1.clienta.example.",
                "clienta.example. IN MX 20 mx2.clienta.example.",
                "nomail.clienta.example. IN MX 0 .",
                "web.clienta.example. IN A 192.0.2.80"))) {
            var router = new MxRouter(new CachingResolver(List.of(knot.address()), Duration.ofSeconds(2)), new Random(1));
            assertThat(((Route.Hosts) router.route("clienta.example")).hosts())
                    .containsExactly(new MxHost(10, "mx1.clienta.example"), new MxHost(20, "mx2.clienta.example"));
            assertThat(router.route("nomail.clienta.example")).isInstanceOf(Route.NullMx.class);
            assertThat(((Route.Hosts) router.route("web.clienta.example")).implicit()).isTrue();
            assertThat(router.route("missing.clienta.example")).isInstanceOf(Route.NoHosts.class);
        }
    }
}
