package dev.mailroom.tenancy;

import dev.mailroom.dns.DomainNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reviews a sending domain against deliverability practice: bulk mail kept off the
 * organisational domain, subdomain names that do not read as spam, one stream per subdomain.
 */
public final class DomainAdvisor {
    private static final Set<String> SPAMMY_WORDS = Set.of("bulk", "blast", "mass", "massmail", "bulkmail", "spam", "blaster");
    /** mail2, em123, send-v3: numbered or versioned names look machine-made or broken. */
    private static final Pattern NUMBERED = Pattern.compile("[a-z][a-z-]*?-?v?\\d+");

    public List<DomainWarning> review(String name, Stream stream, List<Stream> otherStreamsOnName) {
        var warnings = new ArrayList<DomainWarning>();
        var organisational = DomainNames.organisationalDomain(name);
        var suggestion = stream.suggestedLabel() + "." + organisational;
        if (stream.isBulk() && name.equals(organisational)) {
            warnings.add(new DomainWarning("bulk_stream_on_root_domain",
                    "Sending " + label(stream) + " mail from the organisational domain " + name + " ties the reputation of "
                            + "all its mail, people's own messages included, to how recipients take these campaigns. "
                            + "Use a subdomain such as " + suggestion + " so that damage stays there."));
        }
        for (var label : labelsBelow(name, organisational)) {
            var spammy = spammyPart(label);
            if (spammy != null) {
                warnings.add(new DomainWarning("spammy_subdomain_name",
                        "The label '" + label + "' " + spammy + "; recipients engage less with mail from such names. "
                                + "Use a plain name that says what the mail is, such as " + suggestion + "."));
            }
        }
        for (var other : otherStreamsOnName) {
            if (other != stream) {
                warnings.add(new DomainWarning("subdomain_shared_by_streams",
                        name + " already carries " + label(other) + " mail; a second stream on the same name shares its "
                                + "reputation, so a bad campaign can send the other mail to spam. Give each stream its own "
                                + "subdomain, such as " + suggestion + " for " + label(stream) + " mail."));
            }
        }
        return List.copyOf(warnings);
    }

    private static List<String> labelsBelow(String name, String organisational) {
        if (name.length() <= organisational.length()) {
            return List.of();
        }
        var below = name.substring(0, name.length() - organisational.length() - 1);
        return List.of(below.split("\\."));
    }

    /** Why a label reads as spam, or null when it does not. */
    private static String spammyPart(String label) {
        for (var word : label.split("-")) {
            if (SPAMMY_WORDS.contains(word)) {
                return "contains '" + word + "', which reads as bulk or spam";
            }
        }
        if (NUMBERED.matcher(label).matches()) {
            return "is numbered or versioned, which looks machine-made";
        }
        return null;
    }

    private static String label(Stream stream) {
        return stream.name().toLowerCase(java.util.Locale.ROOT);
    }
}
