package dev.mailroom.dns.spf;

import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code v=spf1} record. Unknown modifiers are checked for syntax by the parser and
 * then dropped: RFC 7208 section 6 says they must not change the result.
 *
 * @param redirect    the domain-spec of {@code redirect=}, used when no directive matches
 * @param explanation the domain-spec of {@code exp=}, naming the TXT record that explains a fail
 */
public record SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> explanation) {
    public SpfRecord {
        directives = List.copyOf(directives);
    }
}
