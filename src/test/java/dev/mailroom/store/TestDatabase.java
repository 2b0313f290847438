package dev.mailroom.store;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases every repository test runs on: H2 always, PostgreSQL when
 * MAILROOM_TEST_POSTGRES_URL is set (otherwise those runs are skipped, saying why).
 * Each {@link #create()} gives an empty database of its own: an in-memory H2 database,
 * or a fresh schema on the PostgreSQL server.
 */
public enum TestDatabase {
    H2,
    POSTGRES;

    public static final String POSTGRES_URL_VARIABLE = "MAILROOM_TEST_POSTGRES_URL";

    public static Stream<TestDatabase> all() {
        return Stream.of(values());
    }

    /** An empty database; closing it drops what the test made. */
    public record Instance(String url, AutoCloseable drop) implements AutoCloseable {
        public Database open() {
            return Database.open(url, 4);
        }

        @Override
        public void close() throws Exception {
            drop.close();
        }
    }

    public Instance create() {
        var name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return switch (this) {
            case H2 -> {
                // kept while the test runs (a restarted server finds its data again), shut down by close()
                var url = "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
                yield new Instance(url, () -> execute(url, "SHUTDOWN"));
            }
            case POSTGRES -> {
                var base = System.getenv(POSTGRES_URL_VARIABLE);
                Assumptions.assumeTrue(base != null && !base.isBlank(),
                        POSTGRES_URL_VARIABLE + " is not set: PostgreSQL runs skipped (CI sets it; see .ci/run)");
                execute(base, "CREATE SCHEMA " + name);
                var url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
                yield new Instance(url, () -> execute(base, "DROP SCHEMA " + name + " CASCADE"));
            }
        };
    }

    private static void execute(String url, String sql) {
        try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the test database refused: " + sql, e);
        }
    }
}
