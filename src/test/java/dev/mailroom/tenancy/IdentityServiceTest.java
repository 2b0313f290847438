package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.DmarcDiscovery;
import dev.mailroom.dns.InMemoryZone;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class IdentityServiceTest {
    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryZone dns = new InMemoryZone();
    private final Mail mail = new Mail();
    private TenancyFixture fixture;
    private IdentityRepository repository;
    private IdentityService identities;
    private Tenant tenant;
    private Tenant other;

    /** The confirmation mail as the service hands it over: what was sent, or a refusal to give. */
    private static final class Mail implements IdentityService.Confirmations {
        final List<String> tokens = new ArrayList<>();
        final List<Identity> to = new ArrayList<>();
        RuntimeException notReady;
        RuntimeException refusal;

        @Override
        public void requireReady() {
            if (notReady != null) {
                throw notReady;
            }
        }

        @Override
        public void send(Identity identity, String token) {
            if (refusal != null) {
                throw refusal;
            }
            to.add(identity);
            tokens.add(token);
        }

        String lastToken() {
            return tokens.getLast();
        }
    }

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind, clock);
        repository = new IdentityRepository(fixture.database.jdbi());
        identities = new IdentityService(repository, fixture.tenants, new DmarcDiscovery(dns), mail, new Ids(clock), clock);
        tenant = fixture.tenants.create("Small shop", Map.of());
        other = fixture.tenants.create("Other", Map.of());
        dns.txt("_dmarc.smallshop.example", "v=DMARC1; p=none; rua=mailto:dmarc@smallshop.example");
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void createdPendingThenConfirmedByTheMailedLinkOnly() {
        var created = identities.create(Scope.tenant(tenant.id()), tenant.id(), "Owner@SmallShop.example");
        assertThat(created.status()).isEqualTo(IdentityStatus.PENDING);
        assertThat(created.email()).isEqualTo("owner@smallshop.example");
        assertThat(created.verifiedAt()).isNull();
        assertThat(mail.to).containsExactly(created);
        var token = mail.lastToken();

        // showing the page (a scanner following the link) changes nothing
        assertThat(identities.confirmable(token)).contains(created);
        assertThat(identities.get(Scope.AGENCY, created.id()).status()).isEqualTo(IdentityStatus.PENDING);
        assertThat(identities.confirm(token + "x")).isEmpty();
        assertThat(identities.confirm(null)).isEmpty();

        clock.advance(Duration.ofHours(1));
        var confirmed = identities.confirm(token).orElseThrow();
        assertThat(confirmed.status()).isEqualTo(IdentityStatus.VERIFIED);
        assertThat(confirmed.verifiedAt()).isEqualTo(clock.instant());
        // a second click shows the same answer and changes nothing
        assertThat(identities.confirm(token)).contains(confirmed);
        assertThat(identities.get(Scope.tenant(tenant.id()), created.id())).isEqualTo(confirmed);
        assertThat(repository.withEmail(Scope.tenant(tenant.id()), "owner@smallshop.example")).containsExactly(confirmed);
    }

    @Test
    void aLinkExpires() {
        var created = identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example");
        clock.advance(IdentityService.TOKEN_LIFETIME.plusSeconds(1));
        assertThat(identities.confirmable(mail.lastToken())).isEmpty();
        assertThat(identities.confirm(mail.lastToken())).isEmpty();
        assertThat(identities.get(Scope.AGENCY, created.id()).status()).isEqualTo(IdentityStatus.PENDING);
    }

    @Test
    void resendReplacesTheLinkOfAPendingIdentityOnly() {
        var created = identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example");
        var first = mail.lastToken();
        identities.resend(Scope.tenant(tenant.id()), created.id());
        var second = mail.lastToken();
        assertThat(second).isNotEqualTo(first);
        assertThat(identities.confirmable(first)).isEmpty();
        assertThat(identities.confirm(second).orElseThrow().status()).isEqualTo(IdentityStatus.VERIFIED);
        assertThatThrownBy(() -> identities.resend(Scope.AGENCY, created.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("confirmed already");
        assertThatThrownBy(() -> identities.resend(Scope.tenant(other.id()), created.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void oneAddressOncePerTenantInAnyCase() {
        identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example");
        assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), "OWNER@smallshop.example"))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isNull());
        var elsewhere = identities.create(Scope.AGENCY, other.id(), "owner@smallshop.example");
        assertThat(elsewhere.tenantId()).isEqualTo(other.id());
        assertThat(mail.to).hasSize(2);
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwn() {
        var mine = identities.create(Scope.tenant(tenant.id()), tenant.id(), "owner@smallshop.example");
        var theirs = identities.create(Scope.tenant(other.id()), other.id(), "sales@smallshop.example");
        assertThatThrownBy(() -> identities.create(Scope.tenant(tenant.id()), other.id(), "x@smallshop.example"))
                .isInstanceOf(NotFoundException.class);
        assertThat(identities.list(Scope.tenant(tenant.id()), null, 10).data()).containsExactly(mine);
        assertThat(identities.list(Scope.AGENCY, null, 10).data()).containsExactlyInAnyOrder(mine, theirs);
        assertThat(repository.withEmail(Scope.tenant(tenant.id()), "sales@smallshop.example")).isEmpty();
        assertThatThrownBy(() -> identities.get(Scope.tenant(tenant.id()), theirs.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> identities.delete(Scope.tenant(tenant.id()), theirs.id())).isInstanceOf(NotFoundException.class);
        identities.delete(Scope.tenant(tenant.id()), mine.id());
        assertThat(identities.list(Scope.AGENCY, null, 10).data()).containsExactly(theirs);
    }

    @Test
    void badAddressesAreRefusedOnTheEmailField() {
        for (var bad : List.of("", "owner", "owner@", "Owner <owner@smallshop.example>", "a b@smallshop.example", "owner@-bad-.example")) {
            assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), bad)).as(bad)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("email"));
        }
        assertThat(mail.to).isEmpty();
    }

    @Test
    void aDomainThatRejectsOrQuarantinesUnalignedMailIsRefused() {
        dns.txt("_dmarc.strict.example", "v=DMARC1; p=reject");
        dns.txt("_dmarc.junk.example", "v=DMARC1; p=quarantine; pct=50");
        // the organisational domain's record covers its subdomains, with sp=
        dns.txt("_dmarc.corp.example", "v=DMARC1; p=none; sp=quarantine");
        for (var address : List.of("a@strict.example", "a@junk.example", "a@shop.corp.example")) {
            assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), address)).as(address)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("email");
                        assertThat(error.message()).contains("DMARC p=").contains("alignment");
                    }));
        }
        assertThat(identities.list(Scope.AGENCY, null, 10).data()).isEmpty();
        assertThat(mail.to).isEmpty();
    }

    @Test
    void noPolicyOrOneThatAsksForNothingIsAllowed() {
        dns.txt("_dmarc.sampled.example", "v=DMARC1; p=quarantine; pct=0");
        dns.txt("_dmarc.broken.example", "v=DMARC1; p=sometimes");
        dns.txt("_dmarc.twice.example", "v=DMARC1; p=reject").txt("_dmarc.twice.example", "v=DMARC1; p=reject");
        for (var address : List.of("a@nodmarc.example", "a@sampled.example", "a@broken.example", "a@twice.example", "a@smallshop.example")) {
            assertThat(identities.create(Scope.AGENCY, tenant.id(), address).status()).as(address).isEqualTo(IdentityStatus.PENDING);
        }
    }

    @Test
    void aFailedDmarcLookupStoresNothingAndSaysTryAgain() {
        dns.timeout("_dmarc.flaky.example");
        assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), "a@flaky.example")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("try again");
        assertThat(identities.list(Scope.AGENCY, null, 10).data()).isEmpty();
    }

    @Test
    void nothingIsStoredWhenNoConfirmationCanBeSent() {
        mail.notReady = new ConflictException(null, "identities.from is not configured");
        assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example"))
                .isSameAs(mail.notReady);
        mail.notReady = null;
        mail.refusal = new ConflictException(null, "owner@smallshop.example is suppressed");
        assertThatThrownBy(() -> identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example"))
                .isSameAs(mail.refusal);
        assertThat(identities.list(Scope.AGENCY, null, 10).data()).isEmpty();
        mail.refusal = null;
        assertThat(identities.create(Scope.AGENCY, tenant.id(), "owner@smallshop.example").status()).isEqualTo(IdentityStatus.PENDING);
    }
}
