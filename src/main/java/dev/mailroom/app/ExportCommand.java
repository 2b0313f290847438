package dev.mailroom.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailroom export TENANT_ID --out FILE.zip}: the tenant's export zip (docs/offboarding.md). */
@Command(name = "export", description = "Save a tenant's data (GET /v1/tenants/{id}/export) as a zip.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Main.Connection connection;

    @Parameters(index = "0", paramLabel = "TENANT_ID")
    String tenantId;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the zip.")
    Path out;

    @Override
    public Integer call() {
        connection.client().download("/v1/tenants/" + tenantId + "/export", out);
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
