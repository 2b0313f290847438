package dev.mailroom.feedback;

import dev.mailroom.message.EmailAddress;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Memo;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.ValidationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Each tenant's suppression list. Addresses are compared in lower case: mailbox providers treat
 * local parts case-insensitively in practice, and a suppression that missed "Bob@" for "bob@"
 * would let a complaint through again. Checks read a tenant's list from memory (see {@link #load}).
 */
public final class SuppressionList {
    private static final String COLUMNS = "id, tenant_id, domain_scope, email, reason, source_event_id, created_at";
    private static final String EVERY_DOMAIN = "";
    static final int CACHED_MAX = 200_000;
    static final Duration CACHE_LIFETIME = Duration.ofMinutes(1);
    /** Tenants whose lists are held at once; past it the cache starts again. */
    static final int CACHED_TENANTS = 1000;
    private final Memo<String, Optional<Set<String>>> lists;
    private final Jdbi jdbi;
    private final Ids ids;
    private final Clock clock;
    private final BiPredicate<String, String> domainOfTenant;

    /** @param domainOfTenant whether a domain id belongs to a tenant (tenant id, domain id) */
    public SuppressionList(Jdbi jdbi, Ids ids, Clock clock, BiPredicate<String, String> domainOfTenant) {
        this.jdbi = jdbi;
        this.ids = ids;
        this.clock = clock;
        this.domainOfTenant = domainOfTenant;
        this.lists = new Memo<>(clock, CACHE_LIFETIME, CACHED_TENANTS);
    }

    /** The outcome of {@link #add}: the entry, and whether it is new. */
    public record Added(Suppression suppression, boolean created) {}

    /** Suppresses an address; adding what is already there returns the existing entry. */
    public Added add(Scope scope, String tenantId, String domainId, String email, SuppressionReason reason) {
        return add(scope, tenantId, domainId, email, reason, (String) null);
    }

    /** As {@link #add(Scope, String, String, String, SuppressionReason)}, naming the event that caused it. */
    public Added add(Scope scope, String tenantId, String domainId, String email, SuppressionReason reason, String sourceEventId) {
        return addAnnounced(scope, tenantId, domainId, email, reason, handle -> sourceEventId);
    }

    /**
     * Refuses, as {@link #add} would, a tenant or a domain out of the caller's reach: for checking a
     * whole import before any of it is written.
     */
    public void checkTarget(Scope scope, String tenantId, String domainId) {
        if (tenantId == null || !scope.coversTenant(tenantId)) {
            throw new NotFoundException("tenant", tenantId);
        }
        if (domainId == null && scope.domainIds() != null) {
            throw new ValidationException(List.of(new FieldError("domain_id",
                    "is required: this key is limited to some domains, so it suppresses for one of them")));
        }
        if (domainId != null && (!domainOfTenant.test(tenantId, domainId) || !scope.coversDomain(tenantId, domainId))) {
            throw new ValidationException(List.of(new FieldError("domain_id", "is not a domain of tenant " + tenantId)));
        }
    }

    /**
     * As {@link #add(Scope, String, String, String, SuppressionReason)}; {@code announce} runs in
     * the transaction that writes a new entry and answers the id of the event it wrote (so that the
     * announcement exists exactly when the entry does, and the entry names it), and never runs for
     * an entry that was there already.
     */
    public Added addAnnounced(Scope scope, String tenantId, String domainId, String email, SuppressionReason reason,
            java.util.function.Function<Handle, String> announce) {
        checkTarget(scope, tenantId, domainId);
        var normalised = normalise(email);
        var scopeColumn = domainId == null ? EVERY_DOMAIN : domainId;
        var existing = find(tenantId, scopeColumn, normalised);
        if (existing.isPresent()) {
            return new Added(existing.get(), false);
        }
        var id = ids.next("sup");
        var createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Suppression entry;
        try {
            entry = jdbi.inTransaction(h -> {
                h.createUpdate("INSERT INTO suppressions (" + COLUMNS + ") VALUES (:id, :tenant, :scope, :email, :reason, NULL, :created)")
                        .bind("id", id).bind("tenant", tenantId).bind("scope", scopeColumn).bind("email", normalised)
                        .bind("reason", reason.name()).bind("created", Rows.timestamp(createdAt)).execute();
                var source = announce.apply(h);
                if (source != null) {
                    h.createUpdate("UPDATE suppressions SET source_event_id = :source WHERE id = :id").bind("source", source).bind("id", id).execute();
                }
                return new Suppression(id, tenantId, domainId, normalised, reason, source, createdAt);
            });
            lists.forget(tenantId);
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // added meanwhile by someone else: theirs stands
            return find(tenantId, scopeColumn, normalised).map(s -> new Added(s, false)).orElseThrow(() -> e);
        }
        return new Added(entry, true);
    }

    public Page<Suppression> list(Scope scope, String email, String after, int limit) {
        var conditions = List.of(new PagedQuery.Equals("email", email == null ? null : email.strip().toLowerCase(Locale.ROOT)));
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM suppressions", "tenant_id", scope.tenantId(), conditions, after, limit,
                (rs, ctx) -> map(rs), Suppression::id);
    }

    public void delete(Scope scope, String id) {
        var entry = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM suppressions WHERE id = :id").bind("id", id)
                        .map((rs, ctx) -> map(rs)).findOne())
                .filter(s -> scope.coversTenant(s.tenantId()))
                .orElseThrow(() -> new NotFoundException("suppression", id));
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM suppressions WHERE id = :id").bind("id", entry.id()).execute());
        lists.forget(entry.tenantId());
    }

    /** Which of {@code emails} (lower-cased) the tenant must not send to from {@code domainId}. */
    public Set<String> suppressedAmong(String tenantId, String domainId, Collection<String> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        var lower = emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).distinct().toList();
        var cached = lists.get(tenantId, this::load);
        if (cached.isPresent()) {
            var list = cached.get();
            var result = new HashSet<String>();
            for (var email : lower) {
                if (list.contains(key("", email)) || list.contains(key(domainId, email))) {
                    result.add(email);
                }
            }
            return result;
        }
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("SELECT email FROM suppressions WHERE tenant_id = :tenant "
                        + "AND domain_scope IN ('', :domain) AND email IN (<emails>)")
                .bind("tenant", tenantId).bind("domain", domainId).bindList("emails", lower)
                .mapTo(String.class).list()));
    }

    /**
     * A tenant's whole list, when it has at most {@link #CACHED_MAX} entries (empty otherwise:
     * then each check asks the database), held in memory for {@link #CACHE_LIFETIME}.
     */
    private Optional<Set<String>> load(String tenantId) {
        return jdbi.withHandle(h -> {
            var rows = h.createQuery("SELECT domain_scope, email FROM suppressions WHERE tenant_id = :tenant")
                    .bind("tenant", tenantId).setMaxRows(CACHED_MAX + 1)
                    .map((rs, ctx) -> key(rs.getString("domain_scope"), rs.getString("email"))).list();
            return rows.size() > CACHED_MAX ? Optional.empty() : Optional.of(Set.copyOf(rows));
        });
    }

    private static String key(String domainScope, String email) {
        return domainScope + " " + email;
    }

    private Optional<Suppression> find(String tenantId, String scopeColumn, String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM suppressions WHERE tenant_id = :tenant "
                        + "AND domain_scope = :scope AND email = :email")
                .bind("tenant", tenantId).bind("scope", scopeColumn).bind("email", email)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    private static String normalise(String email) {
        try {
            return EmailAddress.parse(email == null ? "" : email).address().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(List.of(new FieldError("email", e.getMessage())));
        }
    }

    private static Suppression map(ResultSet rs) throws SQLException {
        var scope = rs.getString("domain_scope");
        return new Suppression(rs.getString("id"), rs.getString("tenant_id"), scope.isEmpty() ? null : scope, rs.getString("email"),
                SuppressionReason.valueOf(rs.getString("reason")), rs.getString("source_event_id"), Rows.instant(rs, "created_at"));
    }
}
