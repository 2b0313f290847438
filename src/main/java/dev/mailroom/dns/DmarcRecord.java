package dev.mailroom.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DMARC policy record (RFC 7489 6.3). Defaults as the RFC gives them: {@code sp} follows
 * {@code p}, {@code pct=100}, relaxed alignment, {@code fo=0}, {@code ri=86400}.
 */
public record DmarcRecord(
        Policy policy,
        Policy subdomainPolicy,
        int percent,
        List<String> aggregateReportUris,
        List<String> failureReportUris,
        Alignment.Mode dkimAlignment,
        Alignment.Mode spfAlignment,
        List<String> failureOptions,
        int reportIntervalSeconds) {

    public enum Policy {
        NONE, QUARANTINE, REJECT;

        static Policy parse(String tag, String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(tag + "= must be none, quarantine or reject, got '" + value + "'");
            }
        }
    }

    /** Parses a record; throws with a message naming the tag at fault. */
    public static DmarcRecord parse(String text) {
        var tags = new LinkedHashMap<String, String>();
        for (var part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not tag=value");
            }
            tags.putIfAbsent(part.substring(0, equals).strip().toLowerCase(Locale.ROOT), part.substring(equals + 1).strip());
        }
        if (tags.isEmpty() || !tags.keySet().iterator().next().equals("v") || !tags.get("v").equals("DMARC1")) {
            throw new IllegalArgumentException("a DMARC record starts with v=DMARC1");
        }
        var rua = uris("rua", tags);
        Policy policy;
        if (tags.containsKey("p")) {
            policy = Policy.parse("p", tags.get("p"));
        } else if (!rua.isEmpty()) {
            policy = Policy.NONE; // RFC 7489 6.6.3: a record with rua but no p is taken as p=none
        } else {
            throw new IllegalArgumentException("p= is missing");
        }
        var subdomainPolicy = tags.containsKey("sp") ? Policy.parse("sp", tags.get("sp")) : policy;
        return new DmarcRecord(policy, subdomainPolicy, number(tags, "pct", 100, 0, 100), rua, uris("ruf", tags),
                mode(tags, "adkim"), mode(tags, "aspf"), failureOptions(tags), number(tags, "ri", 86400, 0, Integer.MAX_VALUE));
    }

    private static List<String> uris(String tag, Map<String, String> tags) {
        var value = tags.get(tag);
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        var result = new ArrayList<String>();
        for (var uri : value.split(",")) {
            var trimmed = uri.strip();
            if (!trimmed.regionMatches(true, 0, "mailto:", 0, 7) || trimmed.length() <= 7) {
                throw new IllegalArgumentException(tag + "= takes mailto: addresses, got '" + trimmed + "'");
            }
            result.add(trimmed);
        }
        return List.copyOf(result);
    }

    private static Alignment.Mode mode(Map<String, String> tags, String tag) {
        return switch (tags.getOrDefault(tag, "r").toLowerCase(Locale.ROOT)) {
            case "r" -> Alignment.Mode.RELAXED;
            case "s" -> Alignment.Mode.STRICT;
            default -> throw new IllegalArgumentException(tag + "= must be r or s, got '" + tags.get(tag) + "'");
        };
    }

    private static List<String> failureOptions(Map<String, String> tags) {
        var options = Arrays.stream(tags.getOrDefault("fo", "0").split(":")).map(String::strip).toList();
        for (var option : options) {
            if (!List.of("0", "1", "d", "s").contains(option)) {
                throw new IllegalArgumentException("fo= takes 0, 1, d and s, got '" + option + "'");
            }
        }
        return options;
    }

    private static int number(Map<String, String> tags, String tag, int fallback, int min, int max) {
        var value = tags.get(tag);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(tag + "= must be a whole number from " + min + " to " + max + ", got '" + value + "'");
        }
    }

    /** The addresses of {@code rua=} without the {@code mailto:} and any {@code !size} limit. */
    public List<String> aggregateReportAddresses() {
        return aggregateReportUris.stream().map(uri -> {
            var address = uri.substring(7);
            int bang = address.indexOf('!');
            return (bang < 0 ? address : address.substring(0, bang)).toLowerCase(Locale.ROOT);
        }).toList();
    }
}
