package dev.mailroom.feedback;

import dev.mailroom.message.EmailAddress;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Csv;
import dev.mailroom.tenancy.ExportPart;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suppression list as CSV (RFC 4180, comma-separated, CRLF lines): exported as
 * {@code email,domain_id,reason,created_at}; imported as {@code email}, {@code email,reason} or
 * the export's own lines (so an export goes back in as it was), with an optional header line. An import with any bad line is refused whole, naming every
 * line at fault, so that nothing half-imported needs finding afterwards.
 */
public final class SuppressionCsv {
    /** Lines an import takes at most. */
    public static final int MAX_LINES = 100_000;
    private static final int MAX_ERRORS = 100;

    private SuppressionCsv() {}

    /** One address to suppress, as a line of an import gave it; {@code domainId} null when the line names none. */
    public record Row(String email, String domainId, SuppressionReason reason) {}

    /** The export's header line. */
    public static final String HEADER = Csv.line("email", "domain_id", "reason", "created_at");

    public static String write(List<Suppression> entries) {
        var csv = new StringBuilder(HEADER);
        entries.forEach(entry -> csv.append(line(entry)));
        return csv.toString();
    }

    /** Every entry in {@code scope} as CSV: what {@code GET /v1/suppressions/export} answers. */
    public static String export(SuppressionList list, Scope scope) {
        var all = new ArrayList<Suppression>();
        Page.forEach((after, limit) -> list.list(scope, null, after, limit), all::add);
        return write(all);
    }

    /** What an import did: lines read, and how many of them were new entries. */
    public record Imported(int lines, int added) {
        public int alreadySuppressed() {
            return lines - added;
        }
    }

    /**
     * Reads an import ({@link #read}: refused whole when a line is bad) and suppresses each line's
     * address for {@code tenantId}, for the line's domain or else {@code domainId} (null: every domain).
     */
    public static Imported importInto(SuppressionList list, Scope scope, String tenantId, String domainId, String text) {
        var rows = read(text);
        // every line's tenant and domain first: a bad one refuses the import before anything is written
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                list.checkTarget(scope, tenantId, rows.get(i).domainId() != null ? rows.get(i).domainId() : domainId);
            } catch (ValidationException e) {
                var where = "address " + rows.get(i).email();
                e.errors().forEach(error -> errors.add(new FieldError(where, error.field() + " " + error.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        int added = 0;
        for (var row : rows) {
            if (list.add(scope, tenantId, row.domainId() != null ? row.domainId() : domainId, row.email(), row.reason()).created()) {
                added++;
            }
        }
        return new Imported(rows.size(), added);
    }

    /** {@code suppressions.csv} of a tenant's export zip: this CSV, read a page at a time. */
    public static ExportPart exportPart(SuppressionList list) {
        return ExportPart.text("suppressions.csv", "the suppression list as GET /v1/suppressions/export gives it: CSV email,domain_id,reason,created_at",
                (tenantId, print) -> {
                    print.accept(HEADER);
                    Page.forEach((after, limit) -> list.list(Scope.tenant(tenantId), null, after, limit), entry -> print.accept(line(entry)));
                });
    }

    /** One entry as a line of the export. */
    public static String line(Suppression entry) {
        return Csv.line(entry.email(), entry.domainId(), entry.reason().name().toLowerCase(Locale.ROOT), entry.createdAt().toString());
    }

    /** Reads an import; a reason left out is {@code manual}. */
    public static List<Row> read(String text) {
        var lines = text.split("\r?\n", -1);
        if (lines.length > MAX_LINES + 2) {
            throw new ValidationException("body", "has more than " + MAX_LINES + " lines; import in parts");
        }
        var rows = new ArrayList<Row>();
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < lines.length && errors.size() < MAX_ERRORS; i++) {
            var line = lines[i].strip();
            if (line.isEmpty() || i == 0 && line.split(",", -1)[0].strip().equalsIgnoreCase("email")) {
                continue; // blank, or the header
            }
            var fields = line.split(",", -1);
            var where = "line " + (i + 1);
            try {
                var email = EmailAddress.parse(unquote(fields[0])).address();
                // email,reason  or the export's  email,domain_id,reason,created_at
                int reasonAt = fields.length == 2 ? 1 : 2;
                var reason = fields.length > 1 && !fields[reasonAt].isBlank()
                        ? SuppressionReason.valueOf(unquote(fields[reasonAt]).toUpperCase(Locale.ROOT))
                        : SuppressionReason.MANUAL;
                var domainId = fields.length > 2 && !fields[1].isBlank() ? unquote(fields[1]) : null;
                rows.add(new Row(email, domainId, reason));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(where, e.getMessage().startsWith("No enum constant")
                        ? "the reason is hard_bounce, complaint, unsubscribe or manual" : e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return rows;
    }

    private static String unquote(String value) {
        var stripped = value.strip();
        return stripped.length() >= 2 && stripped.startsWith("\"") && stripped.endsWith("\"")
                ? stripped.substring(1, stripped.length() - 1).replace("\"\"", "\"") : stripped;
    }
}
