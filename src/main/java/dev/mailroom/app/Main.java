package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command line: {@code serve} runs everything; the other commands talk to a running server. */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "Mailroom 0.1.0",
        description = "Self-hosted, multi-tenant email sending.",
        subcommands = {Main.Serve.class, Main.TenantCommands.class, Main.DomainCommands.class})
public final class Main {
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(switch (e) {
                case ApiClient.Failure failure -> failure.getMessage();
                case ConfigException config -> config.getMessage();
                default -> "error: " + e;
            });
            return e instanceof ConfigException ? EXIT_CONFIG : EXIT_FAILED;
        });
    }

    @Command(name = "serve", description = "Run Mailroom: HTTP API, and the mail services as they arrive.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "Configuration file (default: ./mailroom.yml when present).")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            var file = config != null ? config : Files.exists(Path.of("mailroom.yml")) ? Path.of("mailroom.yml") : null;
            var settings = ConfigLoader.load(file, System.getenv());
            var mailroom = Mailroom.start(settings, Clock.systemUTC(), System.out);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                mailroom.close();
                stopped.countDown();
            }, "mailroom-shutdown"));
            stopped.await();
            return 0;
        }
    }

    /** Options of every command that calls the API. */
    static final class Connection {
        @Option(names = "--url", description = "Mailroom's HTTP address (default: $MAILROOM_URL or ${DEFAULT-VALUE}).",
                defaultValue = "${env:MAILROOM_URL:-http://127.0.0.1:8025}")
        String url;

        @Option(names = "--key", description = "API key (default: $MAILROOM_API_KEY).", defaultValue = "${env:MAILROOM_API_KEY}")
        String key;

        ApiClient client() {
            return new ApiClient(url, key);
        }
    }

    /** Prints API answers as indented JSON. */
    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "tenant", description = "Manage tenants.", subcommands = TenantCommands.Create.class)
    static final class TenantCommands {
        @Command(name = "create", description = "Create a tenant and print it as JSON.")
        static final class Create implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", paramLabel = "NAME")
            String name;

            @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata to keep with the tenant; repeatable.")
            Map<String, String> metadata = new LinkedHashMap<>();

            @Override
            public Integer call() {
                var tenant = connection.client().post("/v1/tenants", Map.of("name", name, "metadata", metadata));
                printJson(spec.commandLine().getOut(), tenant);
                return 0;
            }
        }
    }

    @Command(name = "domain", description = "Manage sending domains.", subcommands = {DomainCommands.Add.class, DomainCommands.Records.class})
    static final class DomainCommands {
        @Command(name = "add", description = "Add a sending domain to a tenant and print it, with its DNS records, as JSON.")
        static final class Add implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", paramLabel = "TENANT_ID")
            String tenantId;

            @Parameters(index = "1", paramLabel = "DOMAIN")
            String domain;

            @Option(names = "--stream", defaultValue = "transactional", description = "transactional | marketing | notifications")
            String stream;

            @Option(names = "--setup", defaultValue = "cname", description = "cname | txt | delegate")
            String setup;

            @Override
            public Integer call() {
                var body = Map.of("tenant_id", tenantId, "name", domain, "stream", stream, "setup", setup);
                var added = connection.client().post("/v1/domains", body);
                printJson(spec.commandLine().getOut(), added);
                added.path("warnings").forEach(w -> spec.commandLine().getErr().println("warning: " + w.path("message").asText()));
                return 0;
            }
        }

        @Command(name = "records", description = "Print the DNS records a domain needs, as zone-file lines.")
        static final class Records implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", paramLabel = "DOMAIN_ID")
            String domainId;

            @Override
            public Integer call() {
                var domain = connection.client().get("/v1/domains/" + domainId);
                var out = spec.commandLine().getOut();
                out.println("; DNS records for " + domain.path("name").asText() + " (" + domain.path("setup").asText() + " setup)");
                for (var node : domain.path("records")) {
                    var record = new DnsRecord(
                            RecordPurpose.valueOf(node.path("purpose").asText().toUpperCase(Locale.ROOT)),
                            node.path("type").asText(),
                            node.path("name").asText(),
                            node.path("value").asText(),
                            node.path("required").asBoolean(),
                            RecordStatus.valueOf(node.path("status").asText().toUpperCase(Locale.ROOT)),
                            node.path("detail").asText());
                    out.println("; " + node.path("purpose").asText() + (record.required() ? ", required" : ", optional")
                            + ", " + node.path("status").asText() + ": " + record.detail());
                    out.println(record.zoneLine());
                }
                return 0;
            }
        }
    }
}
