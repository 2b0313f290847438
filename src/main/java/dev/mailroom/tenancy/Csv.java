package dev.mailroom.tenancy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** CSV as RFC 4180 writes it: comma-separated fields, quoted when they hold a comma, quote or line break; CRLF lines. */
public final class Csv {
    private Csv() {}

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** One line of fields (null: empty), with its CRLF. */
    public static String line(String... fields) {
        return Arrays.stream(fields).map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }
}
