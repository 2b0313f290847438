package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.dkim.SigningKey;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.InvalidDomainNameException;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Adding sending domains: ownership of the name, DKIM keys sealed at rest, the records to publish. */
public final class DomainService {
    private static final int TOKEN_LENGTH = 10;
    static final int MAX_RESTRICTION = 100;
    private final DomainRepository domains;
    private final TenantService tenants;
    private final DkimKeyGenerator keyGenerator;
    private final SecretSealer sealer;
    private final RecordPlanner planner;
    private final DomainAdvisor advisor;
    private final MonitorSchedule schedule;
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Ids ids;
    private final Clock clock;

    public DomainService(DomainRepository domains, TenantService tenants, DkimKeyGenerator keyGenerator, SecretSealer sealer,
            RecordPlanner planner, DomainAdvisor advisor, MonitorSchedule schedule, Ids ids, Clock clock) {
        this.schedule = schedule;
        this.domains = domains;
        this.tenants = tenants;
        this.keyGenerator = keyGenerator;
        this.sealer = sealer;
        this.planner = planner;
        this.advisor = advisor;
        this.ids = ids;
        this.clock = clock;
    }

    public DomainDetails add(Scope scope, String tenantId, String rawName, Stream stream, DnsSetup setup) {
        var tenant = tenants.get(scope, tenantId);
        if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new ConflictException(null, "tenant " + tenantId + " is offboarded");
        }
        String name;
        try {
            name = DomainNames.normalise(rawName);
        } catch (InvalidDomainNameException e) {
            throw new ValidationException("name", "the domain name " + e.getMessage());
        }
        if (planner.insidePlatformZone(name)) {
            throw new ValidationException("name", "is inside Mailroom's own zone; use the client's domain");
        }
        var claim = domains.claimOf(name);
        if (claim.isPresent() && !claim.get().tenantId().equals(tenantId)) {
            throw new ConflictException("name", name + " is already in use by another tenant");
        }
        if (domains.streamsOf(tenantId, name).contains(stream)) {
            throw new ConflictException("name", name + " is already added for the " + stream.name().toLowerCase(java.util.Locale.ROOT) + " stream");
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var token = claim.map(DomainRepository.NameClaim::token).orElseGet(() -> Secrets.dnsToken(TOKEN_LENGTH));
        var domain = new Domain(ids.next("dom"), tenantId, name, stream, setup, DomainStatus.PENDING, token, null, now, now);
        var keys = Arrays.stream(DkimAlgorithm.values()).map(algorithm -> newKey(domain, algorithm, 1, KeyState.ACTIVE, now)).toList();
        try {
            // the client needs time to publish the records: the first check comes one interval later
            domains.insert(domain, claim.isEmpty(), keys, now.plus(schedule.initialInterval()));
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e;
            }
            // Lost a race for the name between the checks above and the insert; the constraints decided.
            throw new ConflictException("name", name + " was just taken, or released and claimed by another tenant");
        }
        changeListeners.forEach(Runnable::run);
        return details(domain);
    }

    /**
     * Gives a domain an IP pool of its own (whose existence the caller checked; the database's
     * foreign key holds it too), or with null lets it follow its tenant's pool again.
     */
    public DomainDetails changePool(Scope scope, String id, String poolId) {
        var domain = find(scope, id);
        domains.changePool(domain, poolId, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        changeListeners.forEach(Runnable::run);
        return get(scope, id);
    }

    /** Called after a domain or its keys change, e.g. so that the DNS server serves the change at once. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    public DomainDetails get(Scope scope, String id) {
        return details(find(scope, id));
    }

    public Page<DomainDetails> list(Scope scope, String after, int limit) {
        var page = domains.list(scope, after, limit);
        return new Page<>(details(page.data()), page.nextCursor());
    }

    public void delete(Scope scope, String id) {
        domains.delete(find(scope, id));
        changeListeners.forEach(Runnable::run);
    }

    /**
     * Checks a domain restriction asked for a new key or credential: every id must be a domain
     * of the tenant, and a caller that is itself restricted can hand on only its own domains.
     * Returns null (no restriction) when none was asked and the caller has none.
     */
    public List<String> checkRestriction(Scope caller, String tenantId, List<String> requested) {
        if (requested == null) {
            if (caller.domainIds() != null) {
                throw new ValidationException("domain_ids", "is required: this key is limited to some domains and can only hand those on");
            }
            return null;
        }
        if (requested.isEmpty()) {
            throw new ValidationException("domain_ids", "must name at least one domain, or be left out for all of the tenant's domains");
        }
        if (requested.size() > MAX_RESTRICTION) {
            throw new ValidationException("domain_ids", "names more than " + MAX_RESTRICTION + " domains; leave it out to allow all");
        }
        var owned = domains.idsOwnedBy(tenantId, requested);
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < requested.size(); i++) {
            var id = requested.get(i);
            if (!owned.contains(id) || !caller.coversDomain(tenantId, id)) {
                errors.add(new FieldError("domain_ids[" + i + "]", "domain " + id + " not found for tenant " + tenantId));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return requested.stream().distinct().toList();
    }

    private DomainDetails details(Domain domain) {
        return details(List.of(domain)).getFirst();
    }

    /** The records of domains, with what their last check found, and the advice on them. */
    List<DomainDetails> details(List<Domain> page) {
        var ids = page.stream().map(Domain::id).toList();
        var keys = domains.keysOf(ids);
        var states = domains.recordStates(ids);
        var streams = domains.streamsOn(page.stream().map(Domain::name).collect(java.util.stream.Collectors.toSet()));
        return page.stream().map(domain -> {
            var published = selectors(domain, keys.getOrDefault(domain.id(), List.of()));
            var found = states.getOrDefault(domain.id(), Map.of());
            var records = planner.plan(domain.name(), domain.token(), domain.setup(), domain.stream().isBulk(), published).stream()
                    .map(record -> {
                        var state = found.get(RecordState.key(record.name(), record.type()));
                        return state == null ? record : new DnsRecord(record.purpose(), record.type(), record.name(), record.value(),
                                record.required(), state.status(), state.detail());
                    })
                    .toList();
            var lastChecked = found.values().stream().map(RecordState::checkedAt).max(Comparator.naturalOrder()).orElse(null);
            var otherStreams = new ArrayList<>(streams.getOrDefault(domain.name(), List.of()));
            otherStreams.remove(domain.stream());
            return new DomainDetails(domain, records, advisor.review(domain.name(), domain.stream(), otherStreams), lastChecked);
        }).toList();
    }

    /**
     * Both selector slots of each algorithm, RSA first: the key in each (or none, a standby
     * slot) and its role. The RSA selectors that sign or stand by are required; Ed25519 ones are
     * optional, as not every verifier knows them.
     */
    static List<RecordPlanner.DkimKey> selectors(Domain domain, List<DomainKey> keys) {
        var result = new ArrayList<RecordPlanner.DkimKey>();
        for (var algorithm : DkimAlgorithm.values()) {
            for (int slot = 1; slot <= 2; slot++) {
                int wanted = slot;
                var key = keys.stream().filter(k -> k.algorithm() == algorithm && k.slot() == wanted).findFirst();
                var role = key.map(k -> switch (k.state()) {
                    case ACTIVE -> RecordPlanner.KeyRole.ACTIVE;
                    case PUBLISHING -> RecordPlanner.KeyRole.NEXT;
                    case RETIRING -> RecordPlanner.KeyRole.RETIRING;
                }).orElse(RecordPlanner.KeyRole.STANDBY);
                // a next key is not required: its visibility is the rotation's business, and a domain must not fail over it
                var required = algorithm == DkimAlgorithm.RSA_SHA256
                        && (role == RecordPlanner.KeyRole.ACTIVE || role == RecordPlanner.KeyRole.STANDBY);
                result.add(new RecordPlanner.DkimKey(key.map(DomainKey::selector).orElse(DomainKey.selector(domain.stream(), slot, algorithm)),
                        key.map(k -> algorithm.keyRecord(k.publicKey())).orElse(null), required, role));
            }
        }
        return result;
    }

    /**
     * Starts a key rotation: a new key for each algorithm in the slot not signing, published
     * at once (cname and delegate setups) or returned for the client to publish (txt).
     * {@link DkimRotation} moves signing to them once they are visible.
     */
    public DomainDetails rotate(Scope scope, String id) {
        var domain = find(scope, id);
        var keys = domains.keysOf(id);
        // under way: an RSA key waits to be seen, or an old key still retires; an optional (Ed25519) key the
        // client never published does not hold rotations up: it is replaced
        if (keys.stream().anyMatch(key -> key.state() == KeyState.RETIRING
                || (key.state() == KeyState.PUBLISHING && key.algorithm() == DkimAlgorithm.RSA_SHA256))) {
            throw new ConflictException(null, "a key rotation of " + domain.name() + " is under way; it ends when the new keys are "
                    + "visible and the old ones have retired");
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var replaced = keys.stream().filter(key -> key.state() == KeyState.PUBLISHING).toList();
        var fresh = keys.stream().filter(key -> key.state() == KeyState.ACTIVE)
                .map(active -> newKey(domain, active.algorithm(), 3 - active.slot(), KeyState.PUBLISHING, now)).toList();
        try {
            domains.replaceKeys(replaced, fresh);
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e;
            }
            throw new ConflictException(null, "a key rotation of " + domain.name() + " has just started");
        }
        changeListeners.forEach(Runnable::run);
        return details(domain);
    }

    /** The keys that sign the domain's mail now, unsealed. */
    public List<SigningKey> signingKeys(Domain domain) {
        return domains.keysOf(domain.id()).stream()
                .filter(key -> key.state() == KeyState.ACTIVE)
                .sorted(Comparator.comparing(DomainKey::algorithm))
                .map(key -> {
                    var pkcs8 = sealer.open(key.sealedPrivateKey(), DomainKey.sealContext(key.id()));
                    try {
                        return SigningKey.of(domain.name(), key.selector(), key.algorithm(), pkcs8);
                    } finally {
                        Arrays.fill(pkcs8, (byte) 0);
                    }
                })
                .toList();
    }

    /** Tells the listeners that keys changed (used by {@link DkimRotation}). */
    void keysChanged() {
        changeListeners.forEach(Runnable::run);
    }

    private Domain find(Scope scope, String id) {
        return domains.find(scope, id).orElseThrow(() -> new NotFoundException("domain", id));
    }

    private DomainKey newKey(Domain domain, DkimAlgorithm algorithm, int slot, KeyState state, Instant now) {
        var pair = keyGenerator.generate(algorithm);
        var id = ids.next("dk");
        try {
            return new DomainKey(id, domain.id(), DomainKey.selector(domain.stream(), slot, algorithm), slot, algorithm,
                    pair.publicKeyBase64(), sealer.seal(pair.privateKeyPkcs8(), DomainKey.sealContext(id)), state, null, now);
        } finally {
            Arrays.fill(pair.privateKeyPkcs8(), (byte) 0);
        }
    }
}
