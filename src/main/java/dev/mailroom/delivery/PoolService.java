package dev.mailroom.delivery;

import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.InvalidDomainNameException;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Creating pools and giving them addresses, with the rules that keep what delivery reads usable. */
public final class PoolService {
    static final int NAME_MAX = 100;
    static final int USERNAME_MAX = 256;
    static final int PASSWORD_MAX = 1024;
    private final PoolRepository pools;
    private final Ids ids;
    private final Clock clock;
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    public PoolService(PoolRepository pools, Ids ids, Clock clock) {
        this.pools = pools;
        this.ids = ids;
        this.clock = clock;
    }

    /** A new pool, without addresses; with a smarthost it relays everything and takes no addresses. */
    public Pool create(String name, PoolTier tier, Smarthost smarthost) {
        var errors = new ArrayList<FieldError>();
        var cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (cleanName.length() > NAME_MAX) {
            errors.add(new FieldError("name", "is longer than " + NAME_MAX + " characters"));
        }
        if (tier == null) {
            errors.add(new FieldError("tier", "is required"));
        }
        var checkedSmarthost = smarthost == null ? null : checked(smarthost, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (pools.nameTaken(cleanName)) {
            throw new ConflictException("name", "a pool named '" + cleanName + "' exists already");
        }
        var pool = new Pool(ids.next("pool"), cleanName, tier, List.of(), checkedSmarthost, now());
        try {
            pools.insert(pool);
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e;
            }
            throw new ConflictException("name", "a pool named '" + cleanName + "' was just created");
        }
        changeListeners.forEach(Runnable::run);
        return pool;
    }

    public Pool get(String id) {
        return pools.find(id).orElseThrow(() -> new NotFoundException("pool", id));
    }

    public Page<Pool> list(String after, int limit) {
        return pools.list(after, limit);
    }

    /** Every address mail may leave from, across pools: the SPF record of the return-path domain names them. */
    public List<java.net.InetAddress> sendingAddresses() {
        return pools.allAddresses().stream().map(java.net.InetAddress::ofLiteral).toList();
    }

    /** Adds a source address; {@code weight} null is {@link PoolAddress#DEFAULT_WEIGHT}. Answers with the pool as it is now. */
    public Pool addAddress(String poolId, String address, String hostname, Integer weight) {
        var pool = get(poolId);
        if (pool.smarthost() != null) {
            throw new ValidationException("address", "pool " + poolId + " relays through its smarthost " + pool.smarthost().host()
                    + "; a pool has either addresses or a smarthost");
        }
        var errors = new ArrayList<FieldError>();
        var canonical = canonicalAddress(address, "address", errors);
        var ehloName = hostName(hostname, "hostname", errors);
        int checkedWeight = weight == null ? PoolAddress.DEFAULT_WEIGHT : weight;
        if (checkedWeight < 1 || checkedWeight > PoolAddress.MAX_WEIGHT) {
            errors.add(new FieldError("weight", "must be 1 to " + PoolAddress.MAX_WEIGHT + ", got " + checkedWeight));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        var holder = pools.poolOf(canonical);
        if (holder.isPresent()) {
            throw new ConflictException("address", canonical + " is already in pool " + holder.get() + "; an address belongs to one pool");
        }
        try {
            pools.addAddress(poolId, new PoolAddress(canonical, ehloName, checkedWeight), now());
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e;
            }
            throw new ConflictException("address", canonical + " was just added to a pool; an address belongs to one pool");
        }
        changeListeners.forEach(Runnable::run);
        return get(poolId);
    }

    /** Takes an address (in any spelling of it) out of a pool. */
    public void removeAddress(String poolId, String address) {
        get(poolId);
        String canonical;
        try {
            canonical = PoolAddress.canonical(address);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("address", address + " of pool " + poolId);
        }
        if (!pools.removeAddress(poolId, canonical)) {
            throw new NotFoundException("address", canonical + " of pool " + poolId);
        }
        changeListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every change to a pool (caches of pools listen). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private static Smarthost checked(Smarthost smarthost, List<FieldError> errors) {
        var host = smarthost.host() != null && isAddressLiteral(smarthost.host())
                ? canonicalAddress(smarthost.host(), "smarthost.host", errors)
                : hostName(smarthost.host(), "smarthost.host", errors);
        if (smarthost.port() < 1 || smarthost.port() > 65_535) {
            errors.add(new FieldError("smarthost.port", "must be 1 to 65535, got " + smarthost.port()));
        }
        if (smarthost.tls() == null) {
            errors.add(new FieldError("smarthost.tls", "is required"));
        }
        var username = smarthost.username();
        var password = smarthost.password();
        if (username != null && (username.isEmpty() || username.length() > USERNAME_MAX)) {
            errors.add(new FieldError("smarthost.username", "must be 1 to " + USERNAME_MAX + " characters"));
        }
        if (password != null && (password.isEmpty() || password.length() > PASSWORD_MAX)) {
            errors.add(new FieldError("smarthost.password", "must be 1 to " + PASSWORD_MAX + " characters"));
        }
        if (username != null && password == null) {
            errors.add(new FieldError("smarthost.password", "is required with a username"));
        }
        if (password != null && username == null) {
            errors.add(new FieldError("smarthost.username", "is required with a password"));
        }
        if (password != null && smarthost.tls() == Smarthost.Tls.NONE) {
            errors.add(new FieldError("smarthost.tls", "none would send the password in clear; use starttls or tls"));
        }
        return new Smarthost(host, smarthost.port(), smarthost.tls(), username, password);
    }

    /** An address is told from a host name by its colon (IPv6) or its all-numeric last label (IPv4). */
    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.strip().matches(".*\\.[0-9]+");
    }

    private static String canonicalAddress(String text, String field, List<FieldError> errors) {
        if (text == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        try {
            return PoolAddress.canonical(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    private static String hostName(String text, String field, List<FieldError> errors) {
        if (text == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        try {
            return DomainNames.normalise(text);
        } catch (InvalidDomainNameException e) {
            errors.add(new FieldError(field, "the host name " + e.getMessage()));
            return null;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
