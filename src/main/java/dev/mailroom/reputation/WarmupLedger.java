package dev.mailroom.reputation;

import dev.mailroom.store.Constraints;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * How much of a subject's daily cap is taken, in the database, so that every node counts against
 * one total. A node reserves a block at a time with one conditional update ({@code used + n <= cap}): two
 * nodes reserving at once cannot both get the last units, so the sum of blocks never passes the cap.
 * What a node reserved and did not use by the end of the day is lost (the cap errs low, never high).
 */
public final class WarmupLedger {
    private final Jdbi jdbi;

    public WarmupLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Reserves up to {@code block} units of {@code subject}'s {@code cap} on {@code epochDay};
     * returns how many it got (0: the cap is reached). {@code tenantId} is null for source addresses.
     */
    public long reserve(String subject, String tenantId, long epochDay, long cap, long block) {
        ensureRow(subject, tenantId, epochDay);
        long grant = Math.min(block, cap);
        while (grant > 0) {
            long asked = grant;
            int changed = jdbi.withHandle(h -> h.createUpdate("UPDATE warmup_ledger SET used = used + :grant "
                            + "WHERE subject = :subject AND epoch_day = :day AND used + :grant <= :cap")
                    .bind("grant", asked).bind("subject", subject).bind("day", epochDay).bind("cap", cap).execute());
            if (changed == 1) {
                return asked;
            }
            // less than a block is left: take what is, unless another node took it first (each turn, someone got some)
            grant = Math.min(asked - 1, cap - used(subject, epochDay));
        }
        return 0;
    }

    /** Units of {@code subject} reserved on {@code epochDay} across nodes. */
    public long used(String subject, long epochDay) {
        return jdbi.withHandle(h -> h.createQuery("SELECT used FROM warmup_ledger WHERE subject = :subject AND epoch_day = :day")
                .bind("subject", subject).bind("day", epochDay).mapTo(Long.class).findOne().orElse(0L));
    }

    /** Units reserved on {@code epochDay} for each of a tenant's subjects. */
    public Map<String, Long> usedBy(String tenantId, long epochDay) {
        return jdbi.withHandle(h -> h.createQuery("SELECT subject, used FROM warmup_ledger WHERE tenant_id = :tenant AND epoch_day = :day")
                .bind("tenant", tenantId).bind("day", epochDay)
                .reduceRows(new java.util.HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("subject", String.class), row.getColumn("used", Long.class));
                    return map;
                }));
    }

    private void ensureRow(String subject, String tenantId, long epochDay) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO warmup_ledger (subject, epoch_day, tenant_id, used) "
                            + "SELECT :subject, :day, :tenant, 0 WHERE NOT EXISTS "
                            + "(SELECT 1 FROM warmup_ledger WHERE subject = :subject AND epoch_day = :day)")
                    .bind("subject", subject).bind("day", epochDay).bind("tenant", tenantId).execute());
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e; // another node inserted the row between the check and the insert: it is there now
            }
        }
    }
}
