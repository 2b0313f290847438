package dev.mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Column conversions that behave the same on H2 and PostgreSQL. */
public final class Rows {
    private Rows() {}

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    /** Lists are kept as comma-separated text: portable, and an empty list stays distinct from NULL. */
    public static List<String> list(ResultSet rs, String column) throws SQLException {
        var value = rs.getString(column);
        if (value == null) {
            return null;
        }
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    public static String joined(List<String> values) {
        return values == null ? null : String.join(",", values);
    }
}
