package dev.mailroom.delivery;

import dev.mailroom.dns.MxHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Traffic shaping: how hard Mailroom may push each receiving site, each source address and each
 * tenant. A site gets the limits of the first provider rule one of its MX hosts matches (by host
 * name suffix: Gmail's sites all end in {@code google.com}), else the defaults.
 *
 * @param tenantRate messages per tenant across all sites (null: no limit beyond its caps)
 */
public record Shaping(SiteLimits siteDefaults, List<ProviderRule> providers, SourceLimits source, Rate tenantRate, Backoff backoff) {
    public Shaping {
        Objects.requireNonNull(siteDefaults, "siteDefaults");
        providers = List.copyOf(providers);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * What one receiving site may take.
     *
     * @param rate messages per period to the whole site (null: unlimited)
     * @param requireTls refuse to send in clear text: a site that offers no STARTTLS gets nothing
     */
    public record SiteLimits(int maxConnections, int messagesPerConnection, Rate rate, boolean requireTls) {
        public SiteLimits {
            if (maxConnections < 1 || messagesPerConnection < 1) {
                throw new IllegalArgumentException("connections and messages per connection must be positive");
            }
        }
    }

    /** What one source address may send: connections open at once across every site, and a rate (null: unlimited). */
    public record SourceLimits(int maxConnections, Rate rate) {
        public SourceLimits {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("a source needs at least one connection");
            }
        }
    }

    /**
     * A site that asks us to slow down (421, 451 4.7.x, "try later") goes down one back-off level:
     * half its connections and, at level n, {@code rate} halved n-1 times. Each {@code recoverAfter}
     * deliveries in a row bring it one level back up; {@code maxLevel} bounds how deep it goes.
     */
    public record Backoff(Rate rate, int recoverAfter, int maxLevel) {
        public Backoff {
            Objects.requireNonNull(rate, "rate");
            if (recoverAfter < 1 || maxLevel < 1) {
                throw new IllegalArgumentException("back-off needs positive recovery and depth");
            }
        }
    }

    /** Limits for the sites whose MX hosts end in one of {@code mxSuffixes}. */
    public record ProviderRule(String name, List<String> mxSuffixes, SiteLimits limits) {
        public ProviderRule {
            mxSuffixes = mxSuffixes.stream().map(suffix -> suffix.toLowerCase(Locale.ROOT)).toList();
        }

        boolean matches(String host) {
            var name = host.toLowerCase(Locale.ROOT);
            return mxSuffixes.stream().anyMatch(suffix -> name.equals(suffix) || name.endsWith(suffix.startsWith(".") ? suffix : "." + suffix));
        }

        /**
         * Reads a rule: a name, then {@code key=value} words: {@code mx=} suffixes joined by
         * {@code |} (required), {@code connections=}, {@code per_connection=}, {@code rate=} (as
         * {@link Rate#parse}) and {@code tls=require}; what is left out comes from the defaults.
         * Example: {@code gmail mx=google.com|googlemail.com connections=20 rate=3000/m}.
         */
        public static ProviderRule parse(String text, SiteLimits defaults) {
            var words = text.strip().split("\\s+");
            if (words.length < 2 || words[0].contains("=")) {
                throw new IllegalArgumentException("a provider rule is a name then key=value words, got '" + text + "'");
            }
            var suffixes = new ArrayList<String>();
            int connections = defaults.maxConnections();
            int perConnection = defaults.messagesPerConnection();
            var rate = defaults.rate();
            boolean requireTls = defaults.requireTls();
            for (int i = 1; i < words.length; i++) {
                var pair = words[i].split("=", 2);
                if (pair.length != 2 || pair[1].isEmpty()) {
                    throw new IllegalArgumentException("rule " + words[0] + ": expected key=value, got '" + words[i] + "'");
                }
                switch (pair[0]) {
                    case "mx" -> suffixes.addAll(List.of(pair[1].split("\\|")));
                    case "connections" -> connections = positive(words[0], pair);
                    case "per_connection" -> perConnection = positive(words[0], pair);
                    case "rate" -> rate = Rate.parse(pair[1]);
                    case "tls" -> {
                        if (!pair[1].equals("require") && !pair[1].equals("opportunistic")) {
                            throw new IllegalArgumentException("rule " + words[0] + ": tls is require or opportunistic");
                        }
                        requireTls = pair[1].equals("require");
                    }
                    default -> throw new IllegalArgumentException("rule " + words[0] + ": unknown key '" + pair[0]
                            + "' (mx, connections, per_connection, rate, tls)");
                }
            }
            if (suffixes.isEmpty()) {
                throw new IllegalArgumentException("rule " + words[0] + ": mx= names at least one MX host suffix");
            }
            return new ProviderRule(words[0], suffixes, new SiteLimits(connections, perConnection, rate, requireTls));
        }

        private static int positive(String rule, String[] pair) {
            try {
                int value = Integer.parseInt(pair[1]);
                if (value >= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("rule " + rule + ": " + pair[0] + " must be a positive whole number, got '" + pair[1] + "'");
        }
    }

    /** The limits of a site with these MX hosts. */
    public SiteLimits limitsFor(List<MxHost> hosts) {
        for (var rule : providers) {
            if (hosts.stream().anyMatch(host -> rule.matches(host.host()))) {
                return rule.limits();
            }
        }
        return siteDefaults;
    }
}
