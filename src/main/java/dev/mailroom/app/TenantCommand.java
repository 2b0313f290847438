package dev.mailroom.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tenant", description = "Manage tenants.", subcommands = TenantCommand.Create.class)
final class TenantCommand {
    @Command(name = "create", description = "Create a tenant and print it as JSON.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Main.Connection connection;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata to keep with the tenant; repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Override
        public Integer call() {
            var tenant = connection.client().post("/v1/tenants", Map.of("name", name, "metadata", metadata));
            Main.printJson(spec.commandLine().getOut(), tenant);
            return 0;
        }
    }
}
