package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Page;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Sending domains, the ownership of their names, and their DKIM keys. */
public final class DomainRepository {
    private static final String COLUMNS = "d.id, d.tenant_id, d.name, d.stream, d.setup, d.status, n.token, d.pool_id, d.created_at, d.updated_at";
    private static final String FROM = " FROM domains d JOIN domain_names n ON n.name = d.name AND n.tenant_id = d.tenant_id";
    private final Jdbi jdbi;
    private final EventLog events;

    public DomainRepository(Jdbi jdbi, EventLog events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /** An event to record with a domain's new state. */
    public record DomainEvent(String type, Map<String, Object> data) {}

    /** Who owns a name, if anyone, and the token it was given. */
    public record NameClaim(String tenantId, String token) {}

    public Optional<NameClaim> claimOf(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT tenant_id, token FROM domain_names WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new NameClaim(rs.getString("tenant_id"), rs.getString("token")))
                .findOne());
    }

    /** The streams a tenant already sends on this name. */
    public List<Stream> streamsOf(String tenantId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT stream FROM domains WHERE tenant_id = :tenant AND name = :name ORDER BY id")
                .bind("tenant", tenantId)
                .bind("name", name)
                .map((rs, ctx) -> Stream.valueOf(rs.getString("stream")))
                .list());
    }

    /**
     * Stores a domain, its keys and (for a name not yet claimed) the claim on its name, all or nothing.
     * A concurrent claim of the same name by another tenant fails on the name's primary key.
     */
    public void insert(Domain domain, boolean claimName, List<DomainKey> keys, Instant firstCheckAt) {
        jdbi.useTransaction(h -> {
            if (claimName) {
                h.createUpdate("INSERT INTO domain_names (name, tenant_id, token) VALUES (:name, :tenant, :token)")
                        .bind("name", domain.name())
                        .bind("tenant", domain.tenantId())
                        .bind("token", domain.token())
                        .execute();
            }
            h.createUpdate("INSERT INTO domains (id, tenant_id, name, stream, setup, status, created_at, updated_at, next_check_at) "
                            + "VALUES (:id, :tenant, :name, :stream, :setup, :status, :created, :updated, :next)")
                    .bind("next", Rows.timestamp(firstCheckAt))
                    .bind("id", domain.id())
                    .bind("tenant", domain.tenantId())
                    .bind("name", domain.name())
                    .bind("stream", domain.stream().name())
                    .bind("setup", domain.setup().name())
                    .bind("status", domain.status().name())
                    .bind("created", Rows.timestamp(domain.createdAt()))
                    .bind("updated", Rows.timestamp(domain.updatedAt()))
                    .execute();
            for (var key : keys) {
                insertKey(h, key);
            }
        });
    }

    private static void insertKey(Handle h, DomainKey key) {
        h.createUpdate("INSERT INTO dkim_keys (id, domain_id, selector, slot, algorithm, public_key, sealed_private_key, state, retire_at, created_at) "
                        + "VALUES (:id, :domain, :selector, :slot, :algorithm, :public, :sealed, :state, :retire, :created)")
                .bind("id", key.id())
                .bind("domain", key.domainId())
                .bind("selector", key.selector())
                .bind("slot", key.slot())
                .bind("algorithm", key.algorithm().tag())
                .bind("public", key.publicKey())
                .bind("sealed", key.sealedPrivateKey())
                .bind("state", key.state().name())
                .bind("retire", Rows.timestamp(key.retireAt()))
                .bind("created", Rows.timestamp(key.createdAt()))
                .execute();
    }

    /** Deletes some keys and adds others (a rotation's new keys), all or nothing. */
    public void replaceKeys(List<DomainKey> removed, List<DomainKey> added) {
        jdbi.useTransaction(h -> {
            removed.forEach(key -> h.createUpdate("DELETE FROM dkim_keys WHERE id = :id").bind("id", key.id()).execute());
            added.forEach(key -> insertKey(h, key));
        });
    }

    /** Every key of every domain (for the DNS server's zones). */
    public Map<String, List<DomainKey>> allKeys() {
        return keys("SELECT id, domain_id, selector, slot, algorithm, public_key, sealed_private_key, state, retire_at, created_at "
                + "FROM dkim_keys ORDER BY slot, algorithm", List.of());
    }

    /** Moves signing to the published keys and starts the old ones' retirement, all or nothing. */
    public void switchKeys(List<DomainKey> toActive, List<DomainKey> toRetiring, Instant retireAt) {
        jdbi.useTransaction(h -> {
            for (var key : toRetiring) {
                h.createUpdate("UPDATE dkim_keys SET state = 'RETIRING', retire_at = :retire WHERE id = :id")
                        .bind("id", key.id()).bind("retire", Rows.timestamp(retireAt)).execute();
            }
            for (var key : toActive) {
                h.createUpdate("UPDATE dkim_keys SET state = 'ACTIVE' WHERE id = :id").bind("id", key.id()).execute();
            }
        });
    }

    /** Deletes retired keys: their private halves are gone for good. */
    public void deleteKeys(List<DomainKey> keys) {
        jdbi.useTransaction(h -> keys.forEach(key -> h.createUpdate("DELETE FROM dkim_keys WHERE id = :id").bind("id", key.id()).execute()));
    }

    /** Domains with a rotation under way (a key publishing or retiring). */
    public List<Domain> inRotation() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM
                        + " WHERE d.id IN (SELECT domain_id FROM dkim_keys WHERE state <> 'ACTIVE') ORDER BY d.id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    public Optional<Domain> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM + " WHERE d.id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs))
                        .findOne())
                .filter(domain -> scope.coversDomain(domain.tenantId(), domain.id()));
    }

    /** Every domain (one per stream) with this exact name, whoever owns it. */
    public List<Domain> named(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM + " WHERE d.name = :name ORDER BY d.id")
                .bind("name", name)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /**
     * Every domain (one per stream) on the name a token stands for, as DMARC report addresses
     * ({@code dmarc+<token>@}) name it; empty when no name has that token.
     */
    public List<Domain> withToken(String token) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM + " WHERE n.token = :token ORDER BY d.id")
                .bind("token", token)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    public Page<Domain> list(Scope scope, String after, int limit) {
        if (scope.domainIds() != null && scope.domainIds().isEmpty()) {
            return new Page<>(List.of(), null);
        }
        var sql = new StringBuilder("SELECT " + COLUMNS + FROM + " WHERE d.id > :after");
        if (!scope.isAgency()) {
            sql.append(" AND d.tenant_id = :tenant");
        }
        if (scope.domainIds() != null) {
            sql.append(" AND d.id IN (<ids>)");
        }
        sql.append(" ORDER BY d.id LIMIT :limit");
        var rows = jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString())
                    .bind("after", after == null ? "" : after)
                    .bind("limit", limit + 1);
            if (!scope.isAgency()) {
                query.bind("tenant", scope.tenantId());
            }
            if (scope.domainIds() != null) {
                query.bindList("ids", List.copyOf(scope.domainIds()));
            }
            return query.map((rs, ctx) -> map(rs)).list();
        });
        return Page.of(rows, limit, Domain::id);
    }

    /** The domains among {@code ids} that belong to the tenant. */
    public List<String> idsOwnedBy(String tenantId, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM domains WHERE tenant_id = :tenant AND id IN (<ids>)")
                .bind("tenant", tenantId)
                .bindList("ids", ids)
                .mapTo(String.class)
                .list());
    }

    public List<DomainKey> keysOf(String domainId) {
        return keysOf(List.of(domainId)).getOrDefault(domainId, List.of());
    }

    /** The keys of several domains in one query, by domain id. */
    public Map<String, List<DomainKey>> keysOf(Collection<String> domainIds) {
        if (domainIds.isEmpty()) {
            return Map.of();
        }
        return keys("SELECT id, domain_id, selector, slot, algorithm, public_key, sealed_private_key, "
                + "state, retire_at, created_at FROM dkim_keys WHERE domain_id IN (<domains>) ORDER BY slot, algorithm", List.copyOf(domainIds));
    }

    private Map<String, List<DomainKey>> keys(String sql, List<String> domainIds) {
        var keys = jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            if (!domainIds.isEmpty()) {
                query.bindList("domains", domainIds);
            }
            return query.map((rs, ctx) -> new DomainKey(
                        rs.getString("id"),
                        rs.getString("domain_id"),
                        rs.getString("selector"),
                        rs.getInt("slot"),
                        DkimAlgorithm.fromTag(rs.getString("algorithm")),
                        rs.getString("public_key"),
                        rs.getString("sealed_private_key"),
                        KeyState.valueOf(rs.getString("state")),
                        Rows.instant(rs, "retire_at"),
                        Rows.instant(rs, "created_at")))
                    .list();
        });
        return keys.stream().collect(Collectors.groupingBy(DomainKey::domainId));
    }

    /** The streams carried on each of several names, in one query. */
    public Map<String, List<Stream>> streamsOn(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        var rows = jdbi.withHandle(h -> h.createQuery("SELECT name, stream FROM domains WHERE name IN (<names>) ORDER BY id")
                .bindList("names", List.copyOf(names))
                .map((rs, ctx) -> Map.entry(rs.getString("name"), Stream.valueOf(rs.getString("stream"))))
                .list());
        return rows.stream().collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    /** The last known state of each record, by domain id and then by {@link RecordState#key()}. */
    public Map<String, Map<String, RecordState>> recordStates(Collection<String> domainIds) {
        if (domainIds.isEmpty()) {
            return Map.of();
        }
        var rows = jdbi.withHandle(h -> h.createQuery("SELECT domain_id, name, type, status, detail, checked_at "
                        + "FROM domain_record_checks WHERE domain_id IN (<domains>)")
                .bindList("domains", List.copyOf(domainIds))
                .map((rs, ctx) -> Map.entry(rs.getString("domain_id"), new RecordState(rs.getString("name"), rs.getString("type"),
                        RecordStatus.valueOf(rs.getString("status")), rs.getString("detail"), Rows.instant(rs, "checked_at"))))
                .list());
        var result = new java.util.HashMap<String, Map<String, RecordState>>();
        rows.forEach(row -> result.computeIfAbsent(row.getKey(), k -> new java.util.HashMap<>()).put(row.getValue().key(), row.getValue()));
        return result;
    }

    /** Domains whose next check is due, soonest first. */
    public List<Domain> due(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM
                        + " WHERE d.next_check_at <= :now ORDER BY d.next_check_at, d.id LIMIT :limit")
                .bind("now", Rows.timestamp(now))
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    public void postponeCheck(String domainId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE domains SET next_check_at = :at WHERE id = :id")
                .bind("id", domainId)
                .bind("at", Rows.timestamp(at))
                .execute());
    }

    /**
     * Stores a check's findings, the domain's new status and schedule, and its events, all or
     * nothing, and only if the domain's status is still the one the check started from: of two
     * checks running at once, one wins and its events are the only ones. Returns whether it was stored.
     */
    public boolean saveChecks(Domain domain, List<RecordState> states, DomainStatus status, Instant checkedAt, Instant nextCheckAt,
            List<DomainEvent> domainEvents) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE domains SET status = :status, last_checked_at = :checked, next_check_at = :next, "
                            + "updated_at = :checked, verified_at = CASE WHEN :verified AND verified_at IS NULL THEN :checked ELSE verified_at END "
                            + "WHERE id = :id AND status = :before")
                    .bind("id", domain.id())
                    .bind("before", domain.status().name())
                    .bind("status", status.name())
                    .bind("checked", Rows.timestamp(checkedAt))
                    .bind("next", Rows.timestamp(nextCheckAt))
                    .bind("verified", status == DomainStatus.VERIFIED)
                    .execute();
            if (updated == 0) {
                return false;
            }
            h.createUpdate("DELETE FROM domain_record_checks WHERE domain_id = :id").bind("id", domain.id()).execute();
            for (var state : states) {
                h.createUpdate("INSERT INTO domain_record_checks (domain_id, name, type, status, detail, checked_at) "
                                + "VALUES (:domain, :name, :type, :status, :detail, :checked)")
                        .bind("domain", domain.id())
                        .bind("name", state.name())
                        .bind("type", state.type())
                        .bind("status", state.status().name())
                        .bind("detail", state.detail().length() > 2000 ? state.detail().substring(0, 2000) : state.detail())
                        .bind("checked", Rows.timestamp(state.checkedAt()))
                        .execute();
            }
            for (var event : domainEvents) {
                events.append(h, domain.tenantId(), event.type(), domain.id(), event.data());
            }
            return true;
        });
    }

    /** Gives a domain a pool of its own, or (null) lets it follow its tenant's again. */
    public void changePool(Domain domain, String poolId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE domains SET pool_id = :pool, updated_at = :now WHERE id = :id AND tenant_id = :tenant")
                .bind("id", domain.id())
                .bind("tenant", domain.tenantId())
                .bind("pool", poolId)
                .bind("now", Rows.timestamp(now))
                .execute());
    }

    /** Deletes a domain with its keys; the last domain on a name gives the name up for others to claim. */
    public void delete(Domain domain) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM dkim_keys WHERE domain_id = :id").bind("id", domain.id()).execute();
            h.createUpdate("DELETE FROM domains WHERE id = :id AND tenant_id = :tenant")
                    .bind("id", domain.id())
                    .bind("tenant", domain.tenantId())
                    .execute();
            h.createUpdate("DELETE FROM domain_names WHERE name = :name AND tenant_id = :tenant "
                            + "AND NOT EXISTS (SELECT 1 FROM domains WHERE name = :name)")
                    .bind("name", domain.name())
                    .bind("tenant", domain.tenantId())
                    .execute();
        });
    }

    private static Domain map(ResultSet rs) throws SQLException {
        return new Domain(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("name"),
                Stream.valueOf(rs.getString("stream")),
                DnsSetup.valueOf(rs.getString("setup")),
                DomainStatus.valueOf(rs.getString("status")),
                rs.getString("token"),
                rs.getString("pool_id"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
