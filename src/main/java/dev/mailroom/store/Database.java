package dev.mailroom.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The relational store: a pooled data source, migrated by Flyway on open, wrapped by JDBI.
 * One set of migrations and SQL serves both H2 (in PostgreSQL mode) and PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Flyway holds one connection for its lock while migrating on another. */
    static final int MIN_POOL_SIZE = 2;

    /** Opens the database at {@code jdbcUrl} and applies every pending migration. */
    public static Database open(String jdbcUrl, int poolSize) {
        if (poolSize < MIN_POOL_SIZE) {
            throw new IllegalArgumentException("a pool needs at least " + MIN_POOL_SIZE + " connections, got " + poolSize);
        }
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("mailroom-db");
        var dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /** The embedded default: an H2 file database inside {@code dataDir}, speaking PostgreSQL's dialect. */
    public static String embeddedUrl(Path dataDir) {
        // WRITE_DELAY=0: a commit is written to the file before it returns (H2 otherwise holds it up to
        // half a second), so a killed process keeps what it reported done, as PostgreSQL does
        return "jdbc:h2:file:" + dataDir.resolve("mailroom").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
