package dev.mailroom.store;

import java.util.ArrayList;
import java.util.List;
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
        return list(jdbi, select, tenantColumn, tenantId, List.of(), after, limit, mapper, id);
    }

    /** A further condition on the rows. */
    public sealed interface Condition {
        String column();

        Object value();

        String operator();
    }

    /** {@code column = value}. */
    public record Equals(String column, Object value) implements Condition {
        public String operator() {
            return "=";
        }
    }

    /** {@code column >= value}. */
    public record AtLeast(String column, Object value) implements Condition {
        public String operator() {
            return ">=";
        }
    }

    /** As above, with further conditions (null values are left out). */
    public static <T> Page<T> list(Jdbi jdbi, String select, String tenantColumn, String tenantId, List<? extends Condition> conditions,
            String after, int limit, RowMapper<T> mapper, Function<T, String> id) {
        var applied = new ArrayList<Condition>();
        if (tenantId != null) {
            applied.add(new Equals(tenantColumn, tenantId));
        }
        conditions.stream().filter(condition -> condition.value() != null).forEach(applied::add);
        var sql = new StringBuilder(select).append(" WHERE id > :after");
        for (int i = 0; i < applied.size(); i++) {
            sql.append(" AND ").append(applied.get(i).column()).append(' ').append(applied.get(i).operator()).append(" :p").append(i);
        }
        sql.append(" ORDER BY id LIMIT :limit");
        var rows = jdbi.withHandle(h -> {
            var query = h.createQuery(sql.toString()).bind("after", after == null ? "" : after).bind("limit", limit + 1);
            for (int i = 0; i < applied.size(); i++) {
                query.bind("p" + i, applied.get(i).value());
            }
            return query.map(mapper).list();
        });
        return Page.of(rows, limit, id);
    }
}
