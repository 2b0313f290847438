package dev.mailroom.store;

import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * One page of a table read in id order, optionally only the rows of one tenant: the list
 * query that every tenant-owned resource shares.
 */
public final class PagedQuery {
    private PagedQuery() {}

    /**
     * @param select       {@code SELECT <columns> FROM <table>}, with no WHERE clause
     * @param tenantColumn the column holding the owning tenant's id
     * @param tenantId     only this tenant's rows, or null for every tenant's
     */
    public static <T> Page<T> list(Jdbi jdbi, String select, String tenantColumn, String tenantId, String after, int limit,
            RowMapper<T> mapper, Function<T, String> id) {
        var sql = select + " WHERE id > :after" + (tenantId == null ? "" : " AND " + tenantColumn + " = :tenant") + " ORDER BY id LIMIT :limit";
        var rows = jdbi.withHandle(h -> {
            var query = h.createQuery(sql).bind("after", after == null ? "" : after).bind("limit", limit + 1);
            if (tenantId != null) {
                query.bind("tenant", tenantId);
            }
            return query.map(mapper).list();
        });
        return Page.of(rows, limit, id);
    }
}
