package dev.mailroom.dkim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A DKIM tag-value list (RFC 6376 3.2): {@code tag=value; tag=value}, white space around either ignored. */
public record TagList(Map<String, String> tags) {
    public TagList {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** Parses a list; a duplicate tag or a tag without {@code =} is a syntax error. */
    public static TagList parse(String text) {
        var tags = new LinkedHashMap<String, String>();
        for (var part : text.split(";", -1)) {
            if (part.isBlank()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("tag without '=': '" + part.strip() + "'");
            }
            var name = part.substring(0, equals).strip();
            if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                throw new IllegalArgumentException("invalid tag name '" + name + "'");
            }
            if (tags.put(name, part.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("tag '" + name + "' appears twice");
            }
        }
        return new TagList(tags);
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    public String require(String tag) {
        var value = tags.get(tag);
        if (value == null) {
            throw new IllegalArgumentException("missing required tag " + tag + "=");
        }
        return value;
    }

    /** A value with all folding white space removed, as base64 tags (b=, bh=, p=) are read. */
    public static String withoutWhitespace(String value) {
        return value.replaceAll("[ \\t\\r\\n]", "");
    }

    static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
