package dev.mailroom.dns.spf;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How many DNS-querying terms a record needs in the worst case, following include: and
 * redirect= into the records they name (RFC 7208 4.6.4 allows 10). A name written with
 * macros cannot be followed ahead of a check; its term still counts once.
 */
public final class SpfLookupCount {
    public static final int LIMIT = 10;
    private final DnsLookup dns;

    public SpfLookupCount(DnsLookup dns) {
        this.dns = dns;
    }

    /** The count for a record's text, or empty when a record on the way cannot be read (failed lookup, syntax). */
    public Optional<Integer> of(String recordText) {
        try {
            return Optional.of(count(SpfParser.parse(recordText), new HashSet<>(), 0));
        } catch (InvalidSpfRecordException | Unreadable e) {
            return Optional.empty();
        }
    }

    private int count(SpfRecord record, Set<String> seen, int depth) {
        int total = 0;
        for (var directive : record.directives()) {
            switch (directive.mechanism()) {
                case Mechanism.Include include -> total += 1 + follow(include.domain(), seen, depth);
                case Mechanism.A ignored -> total++;
                case Mechanism.Mx ignored -> total++;
                case Mechanism.Ptr ignored -> total++;
                case Mechanism.Exists ignored -> total++;
                case Mechanism.All ignored -> { }
                case Mechanism.Ip ignored -> { }
            }
            if (total > LIMIT * 3) {
                return total; // far enough past the limit; stop following
            }
        }
        boolean hasAll = record.directives().stream().anyMatch(d -> d.mechanism() instanceof Mechanism.All);
        if (record.redirect().isPresent() && !hasAll) { // RFC 7208 6.1: redirect= is ignored when there is an all
            total += 1 + follow(record.redirect().get(), seen, depth);
        }
        return total;
    }

    private int follow(MacroString domain, Set<String> seen, int depth) {
        var literal = literal(domain);
        if (literal == null || depth > LIMIT || !seen.add(literal)) {
            return 0;
        }
        try {
            return switch (dns.txt(literal)) {
                case Answer.Records<String> records -> records.values().stream().filter(SpfParser::isSpfRecord).findFirst()
                        .map(text -> count(SpfParser.parse(text), seen, depth + 1)).orElse(0);
                case Answer.Failed<String> failed -> throw new Unreadable();
                case Answer.NxDomain<String> ignored -> 0;
                case Answer.NoData<String> ignored -> 0;
            };
        } finally {
            // only the names on the way down count as a loop: one included from two places counts twice, as a check does
            seen.remove(literal);
        }
    }

    /** The name when it has no macros, else null. */
    private static String literal(MacroString domain) {
        var text = new StringBuilder();
        for (var part : domain.parts()) {
            switch (part) {
                case MacroString.Literal literal -> text.append(literal.text());
                case MacroString.Escape escape -> text.append(escape.expansion());
                case MacroString.Macro ignored -> {
                    return null;
                }
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static final class Unreadable extends RuntimeException {
        Unreadable() {
            super(null, null, false, false);
        }
    }
}
