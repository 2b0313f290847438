package dev.mailroom.tenancy;

import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SmtpCredentialService {
    static final int MAX_NETWORKS = 100;
    private final SmtpCredentialRepository credentials;
    private final TenantService tenants;
    private final DomainService domains;
    private final Ids ids;
    private final Clock clock;

    public SmtpCredentialService(SmtpCredentialRepository credentials, TenantService tenants, DomainService domains, Ids ids, Clock clock) {
        this.credentials = credentials;
        this.tenants = tenants;
        this.domains = domains;
        this.ids = ids;
        this.clock = clock;
    }

    /** A new credential and, for AUTH credentials, its password, which is not stored and cannot be shown again. */
    public record CreatedCredential(SmtpCredential credential, String password) {}

    /** Synchronized so that two overlapping networks created at once cannot both pass the overlap check (one node). */
    public synchronized CreatedCredential create(Scope scope, String tenantId, List<String> domainIds, List<String> networks) {
        tenants.get(scope, tenantId);
        var restriction = domains.checkRestriction(scope, tenantId, domainIds);
        var id = ids.next("smtp");
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (networks != null) {
            var canonical = canonical(networks);
            refuseOverlaps(tenantId, canonical);
            var credential = new SmtpCredential(id, tenantId, null, canonical, restriction, now);
            credentials.insert(credential, null);
            return new CreatedCredential(credential, null);
        }
        var password = Secrets.generate();
        var credential = new SmtpCredential(id, tenantId, id, null, restriction, now);
        credentials.insert(credential, Secrets.hash(password));
        return new CreatedCredential(credential, password);
    }

    /** The credential a username and password name, if the password is right. */
    public Optional<SmtpCredential> authenticate(String username, String password) {
        return credentials.findByUsername(username)
                .filter(stored -> stored.passwordHash() != null && Secrets.matches(password, stored.passwordHash()))
                .map(SmtpCredentialRepository.StoredCredential::credential);
    }

    /**
     * The network credential covering a client address: among one tenant's, the one with the
     * longest matching prefix. When credentials of two tenants match (overlaps made before
     * they were refused), none is chosen: the client must log in, so one tenant's network can
     * never send as another.
     */
    public Optional<SmtpCredential> forAddress(java.net.InetAddress client) {
        SmtpCredential best = null;
        int bestPrefix = -1;
        var tenants = new java.util.HashSet<String>();
        for (var credential : credentials.withNetworks()) {
            for (var text : credential.networks()) {
                var network = Network.parse(text);
                if (!network.contains(client)) {
                    continue;
                }
                tenants.add(credential.tenantId());
                if (network.prefixLength() > bestPrefix) {
                    best = credential;
                    bestPrefix = network.prefixLength();
                }
            }
        }
        return tenants.size() == 1 ? Optional.of(best) : Optional.empty();
    }

    public Page<SmtpCredential> list(Scope scope, String after, int limit) {
        return credentials.list(scope, after, limit);
    }

    public void delete(Scope scope, String id) {
        credentials.delete(credentials.find(scope, id).orElseThrow(() -> new NotFoundException("smtp credential", id)));
    }

    /**
     * A network may serve one tenant only: overlapping another tenant's network would let one
     * tenant's hosts submit as the other, or make the other's hosts ambiguous.
     */
    private void refuseOverlaps(String tenantId, List<String> networks) {
        var errors = new ArrayList<FieldError>();
        var others = credentials.withNetworks().stream().filter(c -> !c.tenantId().equals(tenantId))
                .flatMap(c -> c.networks().stream()).map(Network::parse).toList();
        for (int i = 0; i < networks.size(); i++) {
            var network = Network.parse(networks.get(i));
            if (others.stream().anyMatch(other -> other.contains(network.address()) || network.contains(other.address()))) {
                errors.add(new FieldError("networks[" + i + "]", networks.get(i) + " overlaps a network that another tenant submits from"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private static List<String> canonical(List<String> networks) {
        if (networks.isEmpty()) {
            throw new ValidationException("networks", "must name at least one network, e.g. 203.0.113.0/24");
        }
        if (networks.size() > MAX_NETWORKS) {
            throw new ValidationException("networks", "names more than " + MAX_NETWORKS + " networks");
        }
        var result = new ArrayList<String>();
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < networks.size(); i++) {
            try {
                result.add(Network.parse(networks.get(i)).canonical());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("networks[" + i + "]", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return result;
    }
}
