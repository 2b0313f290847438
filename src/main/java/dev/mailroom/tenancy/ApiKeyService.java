package dev.mailroom.tenancy;

import dev.mailroom.store.Ids;
import dev.mailroom.store.Memo;
import dev.mailroom.store.Page;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: {@code mr_<key id>_<secret>}. The id part finds the stored hash, which is then
 * compared in constant time; the secret is returned once, at creation. The bootstrap key's
 * value is {@code admin_key} itself, chosen by a person: it is never stored, only compared
 * with the configured value.
 */
public final class ApiKeyService {
    static final String PREFIX = "mr_";
    private static final String ID_PREFIX = "key";
    /** One id for the bootstrap key, so nodes starting together cannot create two. */
    static final String BOOTSTRAP_ID = "key_bootstrap";
    private volatile String adminKey;
    private final ApiKeyRepository keys;
    private final TenantService tenants;
    private final DomainService domains;
    private final Ids ids;
    private final Clock clock;

    public ApiKeyService(ApiKeyRepository keys, TenantService tenants, DomainService domains, Ids ids, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.domains = domains;
        this.ids = ids;
        this.clock = clock;
        this.remembered = new Memo<>(clock, REMEMBERED, MAX_REMEMBERED);
    }

    /** A new key and its secret, which is not stored and cannot be shown again. */
    public record CreatedKey(ApiKey key, String secret) {}

    /**
     * How long a key that authenticated is taken from memory: every request looking its row up
     * again would cost more than the work of many. A revocation through this node counts at once;
     * through another node, within this time.
     */
    static final java.time.Duration REMEMBERED = java.time.Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED = 10_000;
    private final Memo<String, ApiKey> remembered;

    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        // remembered by the secret's hash, never by the secret itself; only keys that authenticated
        return Optional.ofNullable(remembered.get(Secrets.hash(presented), hash -> lookUp(presented).orElse(null)));
    }

    private Optional<ApiKey> lookUp(String presented) {
        var issued = keyIdOf(presented).flatMap(keys::findForAuthentication).filter(stored -> !stored.key().bootstrap());
        if (issued.isPresent()) {
            return issued.filter(stored -> Secrets.matches(presented, stored.secretHash())).map(ApiKeyRepository.StoredKey::key);
        }
        var configured = adminKey;
        if (configured != null && Secrets.matches(presented, Secrets.hash(configured))) {
            return keys.findForAuthentication(BOOTSTRAP_ID).map(ApiKeyRepository.StoredKey::key);
        }
        return Optional.empty();
    }

    /**
     * Creates a key on behalf of {@code creator}, never with more reach than the creator has:
     * its own tenant (or, for an agency key, any), a subset of its permissions and of its domains.
     */
    public CreatedKey create(ApiKey creator, String tenantId, List<String> domainIds, Set<Permission> permissions) {
        var scope = creator.scope();
        var tenant = tenantId != null ? tenantId : scope.tenantId();
        if (tenant != null) {
            tenants.get(scope, tenant);
        }
        if (permissions.isEmpty()) {
            throw new ValidationException("permissions", "must name at least one of send, read, manage");
        }
        for (var permission : permissions) {
            if (!creator.allows(permission)) {
                throw new ValidationException("permissions", "cannot grant '" + permission.name().toLowerCase(java.util.Locale.ROOT)
                        + "': the key making this request does not have it");
            }
        }
        List<String> restriction = null;
        if (domainIds != null && tenant == null) {
            throw new ValidationException("domain_ids", "needs tenant_id: only a tenant key can be limited to domains");
        }
        if (tenant != null) {
            restriction = domains.checkRestriction(scope, tenant, domainIds);
        }
        return issue(tenant, restriction, permissions);
    }

    /**
     * Applies {@code admin_key} at start-up: keeps a bootstrap agency key with that value, or
     * removes it when unset. When no agency key exists at all, generates one and returns its
     * secret so that the caller can print it, this once.
     */
    public Optional<String> bootstrap(String configuredKey) {
        remembered.forget(); // the admin key may change or go
        if (configuredKey != null && !configuredKey.isEmpty()) {
            adminKey = configuredKey;
            if (keys.findForAuthentication(BOOTSTRAP_ID).isEmpty()) {
                keys.insertIfAbsent(new ApiKey(BOOTSTRAP_ID, null, EnumSet.allOf(Permission.class), null, true, now()));
            }
            return Optional.empty();
        }
        adminKey = null;
        keys.deleteBootstrap();
        if (keys.anyAgencyKey()) {
            return Optional.empty();
        }
        return Optional.of(issue(null, null, EnumSet.allOf(Permission.class)).secret());
    }

    public Page<ApiKey> list(Scope scope, String after, int limit) {
        return keys.list(scope, after, limit);
    }

    public ApiKey get(Scope scope, String id) {
        return keys.find(scope, id).orElseThrow(() -> new NotFoundException("api key", id));
    }

    public void revoke(ApiKey caller, String id) {
        var key = get(caller.scope(), id);
        if (key.bootstrap()) {
            throw new ConflictException(null, "the bootstrap key is configured by admin_key; change the configuration to remove it");
        }
        if (key.id().equals(caller.id())) {
            throw new ConflictException(null, "a key cannot revoke itself; use another key with manage permission");
        }
        keys.delete(key);
        remembered.forget();
    }

    private CreatedKey issue(String tenantId, List<String> domainIds, Set<Permission> permissions) {
        var id = ids.next(ID_PREFIX);
        var secret = PREFIX + id.substring(ID_PREFIX.length() + 1) + "_" + Secrets.generate();
        var key = new ApiKey(id, tenantId, permissions, domainIds, false, now());
        keys.insert(key, Secrets.hash(secret));
        return new CreatedKey(key, secret);
    }

    private static Optional<String> keyIdOf(String presented) {
        if (!presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = presented.indexOf('_', PREFIX.length());
        return end < 0 ? Optional.empty() : Optional.of(ID_PREFIX + "_" + presented.substring(PREFIX.length(), end));
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
