package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "domain", description = "Manage sending domains.",
        subcommands = {DomainCommand.Add.class, DomainCommand.Records.class, DomainCommand.Verify.class})
final class DomainCommand {
    @Command(name = "add", description = "Add a sending domain to a tenant and print it, with its DNS records, as JSON.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Main.Connection connection;

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
            Main.printJson(spec.commandLine().getOut(), added);
            added.path("warnings").forEach(w -> spec.commandLine().getErr().println("warning: " + w.path("message").asText()));
            return 0;
        }
    }

    @Command(name = "records", description = "Print the DNS records a domain needs, as zone-file lines.")
    static final class Records implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Main.Connection connection;

        @Parameters(index = "0", paramLabel = "DOMAIN_ID")
        String domainId;

        @Override
        public Integer call() {
            var domain = connection.client().get("/v1/domains/" + domainId);
            var out = spec.commandLine().getOut();
            out.println("; DNS records for " + domain.path("name").asText() + " (" + domain.path("setup").asText() + " setup)");
            for (var node : domain.path("records")) {
                var record = record(node);
                out.println("; " + node.path("purpose").asText() + (record.required() ? ", required" : ", optional")
                        + ", " + node.path("status").asText() + ": " + record.detail());
                out.println(record.zoneLine());
            }
            return 0;
        }
    }

    @Command(name = "verify", description = "Check the domain's records in DNS now; exit 0 only when every required record passes.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Main.Connection connection;

        @Parameters(index = "0", paramLabel = "DOMAIN_ID")
        String domainId;

        @Override
        public Integer call() {
            var domain = connection.client().post("/v1/domains/" + domainId + "/verify", Map.of());
            var out = spec.commandLine().getOut();
            boolean allRequired = true;
            for (var node : domain.path("records")) {
                var record = record(node);
                out.printf("%-8s %-8s %-5s %s: %s%n", node.path("status").asText(), record.required() ? "required" : "optional",
                        record.type(), record.name(), record.detail());
                allRequired &= !record.required() || record.status() == RecordStatus.VERIFIED;
            }
            out.println(domain.path("name").asText() + " is " + domain.path("status").asText());
            return allRequired ? 0 : Main.EXIT_FAILED;
        }
    }

    static DnsRecord record(JsonNode node) {
        return new DnsRecord(
                RecordPurpose.valueOf(node.path("purpose").asText().toUpperCase(Locale.ROOT)),
                node.path("type").asText(),
                node.path("name").asText(),
                node.path("value").asText(),
                node.path("required").asBoolean(),
                RecordStatus.valueOf(node.path("status").asText().toUpperCase(Locale.ROOT)),
                node.path("detail").asText());
    }
}
