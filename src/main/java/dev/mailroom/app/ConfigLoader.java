package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mailroom.delivery.Rate;
import dev.mailroom.delivery.Shaping;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.reputation.Thresholds;
import dev.mailroom.reputation.Tiers;
import dev.mailroom.reputation.WarmupSchedule;
import dev.mailroom.message.EmailAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import dev.mailroom.tenancy.MonitorSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code mailroom.yml} and the {@code MAILROOM_...} environment variables that override
 * it (upper-case key path, dots as underscores; lists comma-separated). Unknown keys and bad
 * values stop start-up with a message naming every key at fault.
 */
public final class ConfigLoader {
    static final String ENV_PREFIX = "MAILROOM_";
    /** Variables with the prefix that are not configuration keys. */
    static final Set<String> OTHER_VARIABLES = Set.of(
            "MAILROOM_API_KEY", "MAILROOM_URL", "MAILROOM_PASSWORD", "MAILROOM_TEST_POSTGRES_URL", "MAILROOM_TEST_REDIS_URL",
            "MAILROOM_JAVA_OPTS");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** A configuration key: its dotted name, its default as text, and how its text becomes a value. */
    record Key(String name, String defaultValue, Function<String, Object> parser) {
        String envName() {
            return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    /**
     * Starting points for the big mailbox providers, whose MX hosts serve millions of domains:
     * more connections where they take them, fewer where they are known to push back.
     */
    static final List<String> DEFAULT_PROVIDERS = List.of(
            "gmail mx=google.com|googlemail.com connections=20",
            "outlook mx=outlook.com|hotmail.com connections=10",
            "yahoo mx=yahoodns.net|yahoo.com|aol.com connections=5 per_connection=20");

    static final List<Key> KEYS = List.of(
            new Key("data_dir", "./data", Path::of),
            new Key("database.url", "", ConfigLoader::jdbcUrl),
            new Key("database.pool_size", "10", text -> integer(text, 2, 200)),
            new Key("redis.url", "", ConfigLoader::redisUrl),
            new Key("admin_key", "", ConfigLoader::adminKey),
            new Key("master_key", "", text -> text),
            new Key("hostname", "", ConfigLoader::hostname),
            new Key("platform_domain", "mailroom.localhost", DomainNames::normalise),
            new Key("http.listen", "127.0.0.1:8025", HostPort::parse),
            new Key("http.max_request_bytes", "37748736", text -> ((Integer) integer(text, 1024, Integer.MAX_VALUE)).longValue()),
            new Key("http.secure_cookies", "true", ConfigLoader::bool),
            new Key("smtp.submission.listen", "127.0.0.1:2587", HostPort::parse),
            new Key("smtp.submission.tls.cert", "", ConfigLoader::optionalPath),
            new Key("smtp.submission.tls.key", "", ConfigLoader::optionalPath),
            new Key("smtp.submission.loopback_auth_without_tls", "false", ConfigLoader::bool),
            new Key("smtp.submission.max_auth_failures", "3", text -> integer(text, 1, 100)),
            new Key("smtp.submission.max_connections", "1000", text -> integer(text, 1, 100_000)),
            new Key("smtp.submission.idle_timeout", "5m", ConfigLoader::duration),
            new Key("sending.max_message_bytes", "26214400", text -> integer(text, 1024, 1 << 30)),
            new Key("sending.max_recipients", "1000", text -> integer(text, 1, 100_000)),
            new Key("sending.hourly_cap", "0", text -> integer(text, 0, Integer.MAX_VALUE)),
            new Key("sending.daily_cap", "0", text -> integer(text, 0, Integer.MAX_VALUE)),
            new Key("spool.retention", "7d", ConfigLoader::duration),
            new Key("smtp.inbound.listen", "127.0.0.1:2525", HostPort::parse),
            new Key("dns.servers", "", ConfigLoader::hostPorts),
            new Key("dns.timeout", "5s", ConfigLoader::duration),
            new Key("dns.check.initial_interval", "5m", ConfigLoader::duration),
            new Key("dns.check.initial_period", "1h", ConfigLoader::duration),
            new Key("dns.check.pending_interval", "1h", ConfigLoader::duration),
            new Key("dns.check.verified_interval", "24h", ConfigLoader::duration),
            new Key("dkim.rotation.overlap", "7d", ConfigLoader::duration),
            new Key("dns.authoritative.listen", "", ConfigLoader::optionalHostPort),
            new Key("dns.authoritative.addresses", "", ConfigLoader::addresses),
            new Key("delivery.enabled", "true", ConfigLoader::bool),
            new Key("delivery.mx_port", "25", text -> integer(text, 1, 65535)),
            new Key("delivery.smarthost", "", ConfigLoader::optionalHostPort),
            new Key("delivery.max_connections", "10", text -> integer(text, 1, 10_000)),
            new Key("delivery.messages_per_connection", "100", text -> integer(text, 1, 1_000_000)),
            new Key("delivery.site_rate", "", ConfigLoader::optionalRate),
            new Key("delivery.providers", String.join(",", DEFAULT_PROVIDERS), ConfigLoader::list),
            new Key("delivery.source.max_connections", "200", text -> integer(text, 1, 100_000)),
            new Key("delivery.source.rate", "", ConfigLoader::optionalRate),
            new Key("delivery.tenant_rate", "", ConfigLoader::optionalRate),
            new Key("delivery.backoff.rate", "60/m", Rate::parse),
            new Key("delivery.backoff.recover_after", "10", text -> integer(text, 1, 100_000)),
            new Key("delivery.retry.first_delay", "5m", ConfigLoader::duration),
            new Key("delivery.retry.max_delay", "4h", ConfigLoader::duration),
            new Key("delivery.retry.max_age", "5d", ConfigLoader::duration),
            new Key("delivery.tenant_window", "1000", text -> integer(text, 4, 1_000_000)),
            new Key("delivery.idle_timeout", "5s", ConfigLoader::duration),
            new Key("delivery.no_route_attempts", "3", text -> integer(text, 1, 100)),
            new Key("webhooks.allow_private", "false", ConfigLoader::bool),
            new Key("suppression.soft_bounce_limit", "5", text -> integer(text, 0, 1000)),
            new Key("suppression.soft_bounce_window", "30d", ConfigLoader::duration),
            new Key("reputation.min_volume", "100", text -> integer(text, 1, Integer.MAX_VALUE)),
            new Key("warmup.marketing", "1-3:5000,4-7:25000,8-14:50%,15-30:100%", WarmupSchedule::parse),
            new Key("warmup.transactional", "1:1000,2:2000,3:5000,4:10000,5:20000,6:40000,7:80000", WarmupSchedule::parse),
            new Key("warmup.ip", "1:50,2:100,3:200,4:400,5:700,6:1000,7-8:1500,9-10:2500,11-12:4000,13-14:6000,15-16:9000,"
                    + "17-18:13000,19-20:18000,21-22:25000,23-24:35000,25-26:50000,27-28:70000,29-30:100000", WarmupSchedule::parse),
            new Key("warmup.target_daily_volume", "100000", text -> integer(text, 1, Integer.MAX_VALUE)),
            new Key("reputation.interval", "1m", ConfigLoader::duration),
            new Key("reputation.bounce_rate.warning", "2%", ConfigLoader::fraction),
            new Key("reputation.bounce_rate.critical", "5%", ConfigLoader::fraction),
            new Key("reputation.complaint_rate.warning", "0.1%", ConfigLoader::fraction),
            new Key("reputation.complaint_rate.critical", "0.2%", ConfigLoader::fraction),
            new Key("reputation.delivery_rate.warning", "95%", ConfigLoader::fraction),
            new Key("reputation.delivery_rate.critical", "90%", ConfigLoader::fraction),
            new Key("reputation.pause.hard_bounce_rate", "10%", ConfigLoader::fraction),
            new Key("reputation.pause.complaint_rate", "0.5%", ConfigLoader::fraction),
            new Key("reputation.observation_period", "30d", ConfigLoader::duration),
            new Key("reputation.tiers.apply", "false", ConfigLoader::bool),
            new Key("reputation.tiers.premium.max_complaint_rate", "0.05%", ConfigLoader::fraction),
            new Key("reputation.tiers.premium.min_monthly_volume", "100000", text -> integer(text, 0, Integer.MAX_VALUE)),
            new Key("reputation.tiers.premium.clean_for", "30d", ConfigLoader::duration),
            new Key("reputation.tiers.standard.max_complaint_rate", "0.1%", ConfigLoader::fraction),
            new Key("reputation.tiers.standard.min_monthly_volume", "10000", text -> integer(text, 0, Integer.MAX_VALUE)),
            new Key("identities.from", "", ConfigLoader::optionalAddress),
            new Key("offboarding.retention", "90d", ConfigLoader::duration),
            new Key("blocklists.ip_zones", "zen.spamhaus.org,b.barracudacentral.org,bl.spamcop.net", ConfigLoader::zones),
            new Key("blocklists.domain_zones", "dbl.spamhaus.org,multi.uribl.com", ConfigLoader::zones),
            new Key("blocklists.interval", "1h", ConfigLoader::optionalInterval),
            new Key("compliance.interval", "1h", ConfigLoader::optionalInterval));

    private ConfigLoader() {}

    /** Loads {@code file} (may be null: defaults only) with {@code env} overriding it. */
    public static MailroomConfig load(Path file, Map<String, String> env) {
        var problems = new ArrayList<String>();
        var text = new LinkedHashMap<String, String>();
        if (file != null) {
            readYaml(file, text, problems);
        }
        var known = KEYS.stream().map(Key::envName).collect(java.util.stream.Collectors.toSet());
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !known.contains(name) && !OTHER_VARIABLES.contains(name)) {
                problems.add("environment variable " + name + " is not a configuration key");
            }
        });
        var values = new LinkedHashMap<String, Object>();
        for (var key : KEYS) {
            var fromEnv = env.get(key.envName());
            var raw = fromEnv != null ? fromEnv : text.getOrDefault(key.name(), key.defaultValue());
            var source = fromEnv != null ? key.envName() : key.name();
            try {
                values.put(key.name(), key.parser().apply(raw.strip()));
            } catch (IllegalArgumentException e) {
                problems.add(source + ": " + e.getMessage());
            }
        }
        if ((values.get("smtp.submission.tls.cert") == null) != (values.get("smtp.submission.tls.key") == null)) {
            problems.add("smtp.submission.tls.cert and smtp.submission.tls.key: set both (a certificate and its key) or neither");
        }
        var delivery = deliveryKeys(values, problems);
        var reputation = reputationKeys(values, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new MailroomConfig(
                (Path) values.get("data_dir"),
                (String) values.get("database.url"),
                (Integer) values.get("database.pool_size"),
                (String) values.get("redis.url"),
                (String) values.get("admin_key"),
                (String) values.get("master_key"),
                (String) values.get("hostname"),
                (String) values.get("platform_domain"),
                (HostPort) values.get("http.listen"),
                (Long) values.get("http.max_request_bytes"),
                (Boolean) values.get("http.secure_cookies"),
                (HostPort) values.get("smtp.submission.listen"),
                new MailroomConfig.SmtpSubmission((Path) values.get("smtp.submission.tls.cert"), (Path) values.get("smtp.submission.tls.key"),
                        (Boolean) values.get("smtp.submission.loopback_auth_without_tls"), (Integer) values.get("smtp.submission.max_auth_failures"),
                        (Integer) values.get("smtp.submission.max_connections"), (Duration) values.get("smtp.submission.idle_timeout")),
                new MailroomConfig.Sending((Integer) values.get("sending.max_message_bytes"), (Integer) values.get("sending.max_recipients"),
                        (Integer) values.get("sending.hourly_cap"), (Integer) values.get("sending.daily_cap")),
                (Duration) values.get("spool.retention"),
                (HostPort) values.get("smtp.inbound.listen"),
                castList(values.get("dns.servers")),
                (Duration) values.get("dns.timeout"),
                new MonitorSchedule((Duration) values.get("dns.check.initial_interval"), (Duration) values.get("dns.check.initial_period"),
                        (Duration) values.get("dns.check.pending_interval"), (Duration) values.get("dns.check.verified_interval")),
                (Duration) values.get("dkim.rotation.overlap"),
                (HostPort) values.get("dns.authoritative.listen"),
                castList(values.get("dns.authoritative.addresses")),
                delivery,
                (Boolean) values.get("webhooks.allow_private"),
                new MailroomConfig.SoftBounces((Integer) values.get("suppression.soft_bounce_limit"),
                        (Duration) values.get("suppression.soft_bounce_window")),
                (Integer) values.get("reputation.min_volume"),
                new Warmup.Settings((WarmupSchedule) values.get("warmup.marketing"), (WarmupSchedule) values.get("warmup.transactional"),
                        (WarmupSchedule) values.get("warmup.ip"), (Integer) values.get("warmup.target_daily_volume")),
                reputation,
                (EmailAddress) values.get("identities.from"),
                (Duration) values.get("offboarding.retention"),
                new MailroomConfig.Blocklists(castList(values.get("blocklists.ip_zones")), castList(values.get("blocklists.domain_zones")),
                        (Duration) values.get("blocklists.interval")),
                (Duration) values.get("compliance.interval"));


    }

    /** The reputation.* keys; thresholds that contradict each other (a warning past its critical) are a problem. */
    private static MailroomConfig.Reputation reputationKeys(Map<String, Object> values, List<String> problems) {
        var overrides = new LinkedHashMap<String, Double>();
        for (var name : Thresholds.DEFAULTS.asMap().keySet()) {
            if (!(values.get("reputation." + name) instanceof Double value)) {
                return null; // a bad value: reported already
            }
            overrides.put(name, value);
        }
        Thresholds thresholds;
        try {
            thresholds = Thresholds.DEFAULTS.with(overrides);
        } catch (dev.mailroom.tenancy.ValidationException e) {
            e.errors().forEach(error -> problems.add("reputation." + error.field() + ": " + error.message()));
            return null;
        }
        var criteria = new Tiers.Criteria((Double) values.get("reputation.tiers.premium.max_complaint_rate"),
                (Integer) values.get("reputation.tiers.premium.min_monthly_volume"), (Duration) values.get("reputation.tiers.premium.clean_for"),
                (Double) values.get("reputation.tiers.standard.max_complaint_rate"), (Integer) values.get("reputation.tiers.standard.min_monthly_volume"));
        return new MailroomConfig.Reputation(thresholds, (Duration) values.get("reputation.interval"),
                (Duration) values.get("reputation.observation_period"), (Boolean) values.get("reputation.tiers.apply"), criteria);
    }

    /** A rate as a fraction: {@code 2%} or {@code 0.02}. */
    private static Double fraction(String text) {
        try {
            double value = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100 : Double.parseDouble(text);
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("expected a rate above 0 and at most 100%, such as 2% or 0.02, got '" + text + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a rate such as 2% or 0.02, got '" + text + "'");
        }
    }

    /** The delivery.* keys, with the provider rules read against the site defaults they fill in. */
    private static MailroomConfig.Delivery deliveryKeys(Map<String, Object> values, List<String> problems) {
        if (values.keySet().stream().filter(name -> name.startsWith("delivery.")).count()
                != KEYS.stream().filter(key -> key.name().startsWith("delivery.")).count()) {
            return null; // a delivery key is bad: reported already
        }
        var site = new Shaping.SiteLimits((Integer) values.get("delivery.max_connections"), (Integer) values.get("delivery.messages_per_connection"),
                (Rate) values.get("delivery.site_rate"), false);
        var providers = new ArrayList<Shaping.ProviderRule>();
        for (String rule : ConfigLoader.<String>castList(values.get("delivery.providers"))) {
            try {
                providers.add(Shaping.ProviderRule.parse(rule, site));
            } catch (IllegalArgumentException e) {
                problems.add("delivery.providers: " + e.getMessage());
            }
        }
        var first = (Duration) values.get("delivery.retry.first_delay");
        var max = (Duration) values.get("delivery.retry.max_delay");
        if (first.isZero() || max.compareTo(first) < 0) {
            problems.add("delivery.retry.max_delay must be at least delivery.retry.first_delay, which must be positive");
        }
        var shaping = new Shaping(site, providers,
                new Shaping.SourceLimits((Integer) values.get("delivery.source.max_connections"), (Rate) values.get("delivery.source.rate")),
                (Rate) values.get("delivery.tenant_rate"),
                new Shaping.Backoff((Rate) values.get("delivery.backoff.rate"), (Integer) values.get("delivery.backoff.recover_after"), 8));
        return new MailroomConfig.Delivery((Boolean) values.get("delivery.enabled"), (Integer) values.get("delivery.mx_port"),
                (HostPort) values.get("delivery.smarthost"), shaping, first, max, (Duration) values.get("delivery.retry.max_age"),
                (Integer) values.get("delivery.tenant_window"), (Duration) values.get("delivery.idle_timeout"),
                (Integer) values.get("delivery.no_route_attempts"));
    }

    private static Rate optionalRate(String text) {
        return text.isEmpty() ? null : Rate.parse(text);
    }

    private static List<String> list(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static void readYaml(Path file, Map<String, String> into, List<String> problems) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            problems.add(file + ": must be a mapping of keys to values");
            return;
        }
        var names = KEYS.stream().map(Key::name).collect(java.util.stream.Collectors.toSet());
        flatten("", root, into, names, problems);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, Set<String> names, List<String> problems) {
        node.properties().forEach(entry -> {
            var name = prefix + entry.getKey();
            var value = entry.getValue();
            if (names.contains(name)) {
                if (value.isObject()) {
                    problems.add(name + ": expected a value, got a mapping");
                } else if (value.isArray()) {
                    var items = new ArrayList<String>();
                    value.forEach(item -> items.add(item.asText()));
                    into.put(name, String.join(",", items));
                } else {
                    into.put(name, value.isNull() ? "" : value.asText());
                }
            } else if (value.isObject() && names.stream().anyMatch(known -> known.startsWith(name + "."))) {
                flatten(name + ".", value, into, names, problems);
            } else {
                problems.add(name + ": unknown key (see docs/configuration.md)");
            }
        });
    }

    private static String jdbcUrl(String text) {
        if (!text.isEmpty() && !text.startsWith("jdbc:postgresql:") && !text.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database (or empty for the embedded H2)");
        }
        return text;
    }

    private static String redisUrl(String text) {
        if (!text.isEmpty() && !text.startsWith("redis://") && !text.startsWith("rediss://")) {
            throw new IllegalArgumentException("expected redis://host:port (or empty for in-process throttles)");
        }
        return text;
    }

    private static String adminKey(String text) {
        if (!text.isEmpty() && text.length() < 20) {
            throw new IllegalArgumentException("must be at least 20 characters (e.g. `openssl rand -base64 32`)");
        }
        return text;
    }

    private static String hostname(String text) {
        var name = text.isEmpty() ? machineName() : text;
        if (name.length() > 253 || !Arrays.stream(name.split("\\.", -1)).allMatch(label -> HOST_LABEL.matcher(label).matches())) {
            throw new IllegalArgumentException("'" + name + "' is not a valid host name");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Object integer(String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static EmailAddress optionalAddress(String text) {
        if (text.isEmpty()) {
            return null;
        }
        var address = EmailAddress.parse(text);
        if (address.displayName() != null) {
            throw new IllegalArgumentException("expected the address alone, e.g. verify@mail.agency.example");
        }
        return address;
    }

    private static Path optionalPath(String text) {
        return text.isEmpty() ? null : Path.of(text);
    }

    private static Object bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    /** A duration as a number and a unit: {@code 300ms}, {@code 5s}, {@code 5m}, {@code 1h}, {@code 1d}. */
    private static Duration duration(String text) {
        var matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration such as 300ms, 5s, 5m, 1h or 1d, got '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        var duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (duration.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return duration;
    }

    /** How often a check runs; empty or 0 turn it off (null). */
    private static Duration optionalInterval(String text) {
        return text.isEmpty() || text.equals("0") ? null : duration(text);
    }

    /** DNS zones, each a host name (a blocklist's, e.g. zen.spamhaus.org). */
    private static List<String> zones(String text) {
        return list(text).stream().map(DomainNames::normalise).toList();
    }

    private static HostPort optionalHostPort(String text) {
        return text.isEmpty() ? null : HostPort.parse(text);
    }

    private static List<HostPort> hostPorts(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::strip).map(HostPort::parse).toList();
    }

    private static List<InetAddress> addresses(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::strip).map(address -> {
            try {
                return InetAddress.ofLiteral(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + address + "' is not an IP address");
            }
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> castList(Object value) {
        return (List<T>) value;
    }
}
