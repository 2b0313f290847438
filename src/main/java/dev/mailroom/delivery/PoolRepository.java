package dev.mailroom.delivery;

import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.nio.charset.StandardCharsets;
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

/**
 * Pools and their addresses. A smarthost password is sealed here on its way in and opened on its
 * way out, so the database only ever holds it sealed and no caller handles the sealed form.
 */
public final class PoolRepository {
    private static final String COLUMNS =
            "id, name, tier, smarthost_host, smarthost_port, smarthost_tls, smarthost_username, smarthost_password, created_at";
    private final Jdbi jdbi;
    private final SecretSealer sealer;

    public PoolRepository(Jdbi jdbi, SecretSealer sealer) {
        this.jdbi = jdbi;
        this.sealer = sealer;
    }

    /** Stores a new pool (addresses are added one by one with {@link #addAddress}); the name's unique constraint decides a race. */
    public void insert(Pool pool) {
        var smarthost = pool.smarthost();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO pools (" + COLUMNS + ") VALUES "
                        + "(:id, :name, :tier, :host, :port, :tls, :username, :password, :created)")
                .bind("id", pool.id())
                .bind("name", pool.name())
                .bind("tier", pool.tier().name())
                .bind("host", smarthost == null ? null : smarthost.host())
                .bindByType("port", smarthost == null ? null : smarthost.port(), Integer.class)
                .bind("tls", smarthost == null ? null : smarthost.tls().name())
                .bind("username", smarthost == null ? null : smarthost.username())
                .bind("password", smarthost == null || smarthost.password() == null ? null
                        : sealer.seal(smarthost.password().getBytes(StandardCharsets.UTF_8), sealContext(pool.id())))
                .bind("created", Rows.timestamp(pool.createdAt()))
                .execute());
    }

    public Optional<Pool> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM pools WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne()
                .map(pool -> pool.withAddresses(addresses(h, List.of(pool.id())).getOrDefault(pool.id(), List.of()))));
    }

    /** Pools are the agency's, not a tenant's: the list has no tenant to narrow it to. */
    public Page<Pool> list(String after, int limit) {
        var page = PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM pools", null, null, after, limit, (rs, ctx) -> map(rs), Pool::id);
        var addresses = jdbi.withHandle(h -> addresses(h, page.data().stream().map(Pool::id).toList()));
        return page.map(pool -> pool.withAddresses(addresses.getOrDefault(pool.id(), List.of())));
    }

    public boolean nameTaken(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pools WHERE name = :name")
                .bind("name", name)
                .mapTo(Integer.class)
                .one()) > 0;
    }

    /** Every source address of every pool, in address order. */
    public List<String> allAddresses() {
        return jdbi.withHandle(h -> h.createQuery("SELECT address FROM pool_addresses ORDER BY address").mapTo(String.class).list());
    }

    /** The pool holding an address, if any. */
    public Optional<String> poolOf(String address) {
        return jdbi.withHandle(h -> h.createQuery("SELECT pool_id FROM pool_addresses WHERE address = :address")
                .bind("address", address)
                .mapTo(String.class)
                .findOne());
    }

    /** Adds an address to a pool; the address's primary key decides a race for it. */
    public void addAddress(String poolId, PoolAddress address, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO pool_addresses (address, pool_id, hostname, weight, created_at) "
                        + "VALUES (:address, :pool, :hostname, :weight, :created)")
                .bind("address", address.address())
                .bind("pool", poolId)
                .bind("hostname", address.hostname())
                .bind("weight", address.weight())
                .bind("created", Rows.timestamp(now))
                .execute());
    }

    /** Removes an address from a pool; false when the pool did not hold it. */
    public boolean removeAddress(String poolId, String address) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM pool_addresses WHERE pool_id = :pool AND address = :address")
                .bind("pool", poolId)
                .bind("address", address)
                .execute()) > 0;
    }

    /** The addresses of several pools in one query, oldest first, by pool id. */
    private static Map<String, List<PoolAddress>> addresses(Handle h, Collection<String> poolIds) {
        if (poolIds.isEmpty()) {
            return Map.of();
        }
        var rows = h.createQuery("SELECT pool_id, address, hostname, weight FROM pool_addresses "
                        + "WHERE pool_id IN (<pools>) ORDER BY created_at, address")
                .bindList("pools", List.copyOf(poolIds))
                .map((rs, ctx) -> Map.entry(rs.getString("pool_id"),
                        new PoolAddress(rs.getString("address"), rs.getString("hostname"), rs.getInt("weight"))))
                .list();
        return rows.stream().collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private Pool map(ResultSet rs) throws SQLException {
        var id = rs.getString("id");
        var host = rs.getString("smarthost_host");
        var sealed = rs.getString("smarthost_password");
        var smarthost = host == null ? null : new Smarthost(host, rs.getInt("smarthost_port"),
                Smarthost.Tls.valueOf(rs.getString("smarthost_tls")), rs.getString("smarthost_username"),
                sealed == null ? null : new String(sealer.open(sealed, sealContext(id)), StandardCharsets.UTF_8));
        return new Pool(id, rs.getString("name"), PoolTier.valueOf(rs.getString("tier")), List.of(), smarthost,
                Rows.instant(rs, "created_at"));
    }

    /** Bound into the seal, so a sealed password copied onto another pool's row does not open. */
    static String sealContext(String poolId) {
        return "smarthost-password:" + poolId;
    }
}
