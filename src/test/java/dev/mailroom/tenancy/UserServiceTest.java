package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class UserServiceTest {
    private static final String PASSWORD = "correct horse battery";

    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private TenancyFixture fixture;
    private UserService users;
    private Sessions sessions;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind, clock);
        var jdbi = fixture.database.jdbi();
        users = new UserService(new UserRepository(jdbi), fixture.tenantRepository, new Passwords(Passwords.DEFAULT_COST), new Ids(clock), clock);
        sessions = new Sessions(jdbi, clock);
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aUserLogsInWithItsPasswordStoredAsArgon2id() {
        var admin = users.create("Admin@Agency.Example", PASSWORD, Role.AGENCY_ADMIN, null);
        assertThat(admin.email()).isEqualTo("admin@agency.example");

        assertThat(users.authenticate("ADMIN@agency.example", PASSWORD)).contains(admin);
        assertThat(users.authenticate("admin@agency.example", PASSWORD + "!")).isEmpty();
        assertThat(users.authenticate("nobody@agency.example", PASSWORD)).isEmpty();
        var stored = new UserRepository(fixture.database.jdbi()).findByEmail(admin.email()).orElseThrow().passwordHash();
        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
        assertThat(new Passwords(new Passwords.Cost(1024, 1, 1)).matches(PASSWORD, stored)).as("the cost is read from the hash").isTrue();
    }

    @Test
    void aClientViewerBelongsToOneExistingTenantAndAgencyUsersToNone() {
        var tenant = fixture.tenants.create("Client A", Map.of());
        var viewer = users.create("viewer@client.example", PASSWORD, Role.CLIENT_VIEWER, tenant.id());
        assertThat(viewer.tenantId()).isEqualTo(tenant.id());

        assertThatThrownBy(() -> users.create("not-an-address", "short", Role.CLIENT_VIEWER, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("email", "password", "tenant_id"));
        assertThatThrownBy(() -> users.create("op@agency.example", PASSWORD, Role.AGENCY_OPERATOR, tenant.id()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("tenant_id"));
        assertThatThrownBy(() -> users.create("v2@client.example", PASSWORD, Role.CLIENT_VIEWER, "ten_missing"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().message()).contains("no tenant"));
        assertThatThrownBy(() -> users.create("Viewer <viewer2@client.example>", PASSWORD, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("email", "role"));
        assertThatThrownBy(() -> users.create("VIEWER@client.example", PASSWORD, Role.AGENCY_ADMIN, null))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isNull());
        assertThat(users.list(null, 10).data()).containsExactly(viewer);
    }

    @Test
    void aSessionEndsWhenIdleForTwelveHoursOrSevenDaysAfterLogin() {
        var user = users.create("op@agency.example", PASSWORD, Role.AGENCY_OPERATOR, null);
        var started = sessions.start(user);
        assertThat(started.session().id()).isEqualTo(Secrets.hash(started.token()));
        assertThat(sessions.find(started.token())).get().extracting(Sessions.Session::user).isEqualTo(user);

        // used every 11 hours, it lives until its absolute end
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofHours(11));
            assertThat(sessions.find(started.token())).as("after %d hours", (i + 1) * 11).isPresent();
        }
        clock.advance(Duration.ofHours(3)); // 168 h since login
        assertThat(sessions.find(started.token())).isEmpty();

        var idle = sessions.start(user);
        clock.advance(Sessions.IDLE);
        assertThat(sessions.find(idle.token())).isEmpty();
        assertThat(sessions.find("not-a-token")).isEmpty();
    }

    @Test
    void loggingOutOrDeletingTheUserEndsItsSessions() {
        var user = users.create("op@agency.example", PASSWORD, Role.AGENCY_OPERATOR, null);
        var first = sessions.start(user);
        var second = sessions.start(user);
        assertThat(first.token()).isNotEqualTo(second.token());
        assertThat(first.session().csrfToken()).isNotEqualTo(second.session().csrfToken());

        sessions.end(first.token());
        assertThat(sessions.find(first.token())).isEmpty();
        assertThat(sessions.find(second.token())).isPresent();

        users.delete(user.id());
        assertThat(sessions.find(second.token())).isEmpty();
        assertThatThrownBy(() -> users.delete(user.id())).isInstanceOf(NotFoundException.class);
    }
}
