package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dkim.DkimSigner;
import dev.mailroom.dkim.DkimVerdict;
import dev.mailroom.dkim.DkimVerifier;
import dev.mailroom.dns.AuthoritativeServer;
import dev.mailroom.dns.CachingResolver;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.store.TestDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key rotation with Mailroom's DNS server holding the keys (a delegated domain): mail
 * signed before, during and after the rotation verifies with dkimverify as packaged, which
 * fetches the keys from that server through the system resolver (see PackagedVerifiers),
 * and with Mailroom's own verifier.
 */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class DkimRotationTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private TenancyFixture fixture;
    private AuthoritativeServer server;
    private CachingResolver resolver;
    private DkimRotation rotation;
    private dev.mailroom.interop.PackagedVerifiers verifiers;

    @BeforeEach
    void start() throws Exception {
        fixture = new TenancyFixture(kind);
        var zones = new PlatformZones(fixture.domainRepository, new RecordPlanner("mailroom.test"), "mailroom.test",
                List.of(InetAddress.ofLiteral("192.0.2.25")), List::of, Duration.ofMinutes(10), clock);
        fixture.domains.onChange(zones::invalidate);
        verifiers = new dev.mailroom.interop.PackagedVerifiers(dir);
        try {
            server = new AuthoritativeServer(zones, dev.mailroom.interop.PackagedVerifiers.dnsAddress()).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("skipped: cannot serve DNS on 127.0.0.1:53 (needs root and a free port 53): " + e.getMessage());
        }
        resolver = new CachingResolver(List.of(new InetSocketAddress("127.0.0.1", server.port())), Duration.ofSeconds(2));
        rotation = new DkimRotation(fixture.domains, fixture.domainRepository, resolver.fresh(), Duration.ofDays(7), clock);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void mailSignedBeforeDuringAndAfterARotationVerifies() throws Exception {
        var tenant = fixture.tenants.create("A", Map.of());
        var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "notify.clienta.example", Stream.NOTIFICATIONS, DnsSetup.DELEGATE).domain();

        var before = sign(domain, "before");
        assertThat(selectors(before)).containsExactly("nt1r", "nt1e");
        assertThat(dkimverify(before)).containsExactly("pass", "pass");

        fixture.domains.rotate(Scope.AGENCY, domain.id());
        assertThatThrownBy(() -> fixture.domains.rotate(Scope.AGENCY, domain.id())).isInstanceOf(ConflictException.class);
        var during = sign(domain, "during");
        assertThat(selectors(during)).as("signing stays on the old keys until the new ones are visible").containsExactly("nt1r", "nt1e");
        assertThat(dkimverify(during)).containsExactly("pass", "pass");

        rotation.advance(domain);
        var after = sign(domain, "after");
        assertThat(selectors(after)).containsExactly("nt2r", "nt2e");
        assertThat(dkimverify(after)).containsExactly("pass", "pass");
        assertThat(dkimverify(before)).as("the old keys stay published while they retire").containsExactly("pass", "pass");
        assertThat(ownVerifier(before)).allSatisfy(v -> assertThat(v).isInstanceOf(DkimVerdict.Pass.class));

        clock.advance(Duration.ofDays(7));
        rotation.advance(domain);
        assertThat(fixture.domainRepository.keysOf(domain.id())).extracting(DomainKey::state).containsOnly(KeyState.ACTIVE).hasSize(2);
        assertThat(dkimverify(after)).containsExactly("pass", "pass");
        assertThat(dkimverify(before)).as("retired keys are gone").containsExactly("fail", "fail");

        // and the next rotation moves back to the first slot
        fixture.domains.rotate(Scope.AGENCY, domain.id());
        rotation.advance(domain);
        assertThat(selectors(sign(domain, "again"))).containsExactly("nt1r", "nt1e");
    }

    @Test
    void aKeyTheClientHasNotPublishedDoesNotSign() {
        var tenant = fixture.tenants.create("A", Map.of());
        // txt setup: the client publishes keys in its own zone, which this test's DNS does not serve
        var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "tx.clienta.example", Stream.TRANSACTIONAL, DnsSetup.TXT).domain();
        var rotating = fixture.domains.rotate(Scope.AGENCY, domain.id());
        assertThat(rotating.records()).anySatisfy(record -> {
            assertThat(record.name()).isEqualTo("tx2r._domainkey.tx.clienta.example");
            // listed for the client to publish, but a verified domain does not fail over it
            assertThat(record.required()).isFalse();
            assertThat(record.detail()).contains("publish it");
        });
        rotation.advance(domain);
        assertThat(fixture.domains.signingKeys(domain)).extracting(key -> key.selector()).containsExactly("tx1r", "tx1e");
    }

    private byte[] sign(Domain domain, String word) {
        var message = ("From: Notifications <hello@notify.clienta.example>\r\nTo: someone@example.net\r\nSubject: " + word
                + "\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + word + "@notify.clienta.example>\r\n\r\nSigned " + word + ".\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        var signatures = new DkimSigner(clock).sign(message, fixture.domains.signingKeys(domain));
        return (String.join("", signatures) + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> selectors(byte[] signed) {
        return new String(signed, StandardCharsets.US_ASCII).lines().filter(line -> line.startsWith("DKIM-Signature:"))
                .map(line -> line.replaceAll(".* s=([a-z0-9]+);.*", "$1")).toList();
    }

    private List<DkimVerdict> ownVerifier(byte[] signed) {
        return new DkimVerifier(resolver.fresh(), clock).verify(signed);
    }

    private List<String> dkimverify(byte[] signed) throws Exception {
        return verifiers.dkimverify(signed);
    }
}
