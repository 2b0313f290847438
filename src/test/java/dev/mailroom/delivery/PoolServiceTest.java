package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.TenancyFixture;
import dev.mailroom.tenancy.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Pools and their addresses in the store, and the rules on them. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class PoolServiceTest {
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private PoolService pools;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        pools = new PoolService(new PoolRepository(fixture.database.jdbi(), fixture.sealer), new Ids(Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static void assertFields(Throwable thrown, String... fields) {
        assertThat(thrown).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(fields));
    }

    @Test
    void everyInstallationStartsWithOneEmptyPoolPerTier() {
        for (var tier : PoolTier.values()) {
            var pool = pools.get(tier.seededPoolId());
            assertThat(pool.name()).isEqualTo(tier.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(pool.tier()).isEqualTo(tier);
            assertThat(pool.addresses()).isEmpty();
            assertThat(pool.smarthost()).isNull();
        }
        assertThat(pools.list(null, 10).data()).extracting(Pool::id)
                .containsExactly("pool_isolation", "pool_premium", "pool_standard", "pool_starter");
        assertThat(Pool.DEFAULT_ID).isEqualTo("pool_starter");
    }

    @Test
    void aPoolIsCreatedAndItsAddressesAddedInOneSpellingAndRemoved() {
        var pool = pools.create("  dedicated-acme ", PoolTier.PREMIUM, null);
        assertThat(pool.id()).startsWith("pool_");
        assertThat(pool.name()).isEqualTo("dedicated-acme");
        assertThat(pools.get(pool.id())).isEqualTo(pool);

        pools.addAddress(pool.id(), "192.0.2.10", "MTA1.Mail.Example.", null);
        var withBoth = pools.addAddress(pool.id(), "2001:DB8:0:0::0:25", "mta2.mail.example", 250);
        assertThat(withBoth.addresses()).containsExactly(new PoolAddress("192.0.2.10", "mta1.mail.example", PoolAddress.DEFAULT_WEIGHT),
                new PoolAddress("2001:db8::25", "mta2.mail.example", 250));
        assertThat(pools.get(pool.id())).isEqualTo(withBoth);
        assertThat(pools.list(null, 10).data()).contains(withBoth);

        pools.removeAddress(pool.id(), "2001:db8:0::25");
        assertThat(pools.get(pool.id()).addresses()).extracting(PoolAddress::address).containsExactly("192.0.2.10");
        assertThatThrownBy(() -> pools.removeAddress(pool.id(), "2001:db8::25")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pools.removeAddress(pool.id(), "not-an-address")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pools.removeAddress("pool_starter", "192.0.2.10")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badInputNamesEveryFieldAtFaultAndChangesNothing() {
        assertFields(catchThrowable(() -> pools.create("x".repeat(101), null, null)), "name", "tier");
        assertFields(catchThrowable(() -> pools.create(" ", PoolTier.STARTER, null)), "name");
        assertFields(catchThrowable(() -> pools.addAddress("pool_starter", "mta1.mail.example", "192.0.2.1", 0)),
                "address", "hostname", "weight");
        assertFields(catchThrowable(() -> pools.addAddress("pool_starter", "127.1", "mta_1.mail.example", 1001)),
                "address", "hostname", "weight");
        assertFields(catchThrowable(() -> pools.addAddress("pool_starter", null, null, null)), "address", "hostname");
        assertThat(pools.list(null, 10).data()).hasSize(4).allSatisfy(pool -> assertThat(pool.addresses()).isEmpty());
        assertThatThrownBy(() -> pools.addAddress("pool_nope", "192.0.2.1", "mta1.mail.example", null)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void namesAndAddressesAreNotShared() {
        assertThatThrownBy(() -> pools.create("starter", PoolTier.PREMIUM, null))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
        pools.addAddress("pool_standard", "2001:db8::7", "mta7.mail.example", null);
        assertThatThrownBy(() -> pools.addAddress("pool_premium", "2001:DB8:0::7", "other.mail.example", null))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.field()).isEqualTo("address");
                    assertThat(e.getMessage()).contains("pool_standard");
                });
        assertThatThrownBy(() -> pools.addAddress("pool_standard", "2001:db8::7", "mta7.mail.example", null))
                .isInstanceOf(ConflictException.class);
        assertThat(pools.get("pool_premium").addresses()).isEmpty();
        assertThat(pools.list(null, 10).data()).hasSize(4);
    }

    @Test
    void aSmarthostPasswordIsSealedAtRestAndOpenedForDelivery() {
        var pool = pools.create("overflow", PoolTier.STANDARD,
                new Smarthost("SMTP.ESP.example", 587, Smarthost.Tls.STARTTLS, "agency", "correct horse battery"));
        var relay = pools.get(pool.id()).smarthost();
        assertThat(relay).isEqualTo(new Smarthost("smtp.esp.example", 587, Smarthost.Tls.STARTTLS, "agency", "correct horse battery"));

        var stored = fixture.database.jdbi().withHandle(h -> h.createQuery("SELECT smarthost_password FROM pools WHERE id = :id")
                .bind("id", pool.id()).mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain("correct horse battery");
        assertThat(new String(fixture.sealer.open(stored, PoolRepository.sealContext(pool.id())), StandardCharsets.UTF_8))
                .isEqualTo("correct horse battery");

        var noAuth = pools.create("client-relay", PoolTier.ISOLATION, new Smarthost("2001:DB8::25", 25, Smarthost.Tls.NONE, null, null));
        assertThat(pools.get(noAuth.id()).smarthost()).isEqualTo(new Smarthost("2001:db8::25", 25, Smarthost.Tls.NONE, null, null));
    }

    @Test
    void aSmarthostPoolTakesNoAddressesAndABadSmarthostIsRefusedFieldByField() {
        var pool = pools.create("relay", PoolTier.STANDARD, new Smarthost("relay.client.example", 465, Smarthost.Tls.TLS, null, null));
        assertFields(catchThrowable(() -> pools.addAddress(pool.id(), "192.0.2.1", "mta1.mail.example", null)), "address");
        assertThat(pools.get(pool.id()).addresses()).isEmpty();

        assertFields(catchThrowable(() -> pools.create("bad", PoolTier.STANDARD, new Smarthost(null, 0, null, "", null))),
                "smarthost.host", "smarthost.port", "smarthost.tls", "smarthost.username", "smarthost.password");
        assertFields(catchThrowable(() -> pools.create("bad", PoolTier.STANDARD,
                new Smarthost("relay", 70_000, Smarthost.Tls.NONE, "user", "secret"))), "smarthost.host", "smarthost.port", "smarthost.tls");
        assertFields(catchThrowable(() -> pools.create("bad", PoolTier.STANDARD,
                new Smarthost("192.0.2.300", 587, Smarthost.Tls.STARTTLS, null, "secret"))), "smarthost.host", "smarthost.username");
        assertThat(pools.list(null, 10).data()).extracting(Pool::name).doesNotContain("bad");
    }

    @Test
    void listsArePagedById() {
        var created = List.of(pools.create("one", PoolTier.STARTER, null), pools.create("two", PoolTier.STARTER, null));
        var first = pools.list(null, 2);
        assertThat(first.data()).extracting(Pool::id).containsExactly(created.get(0).id(), created.get(1).id());
        var rest = pools.list(first.nextCursor(), 10);
        assertThat(rest.data()).hasSize(4);
        assertThat(rest.nextCursor()).isNull();
    }
}
