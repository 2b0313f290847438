package dev.mailroom.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.api.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running server, as SPEC.md names its commands. */
class CommandLineTest {
    @TempDir
    Path dataDir;

    private TestServer server;
    private String url;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir, null);
        url = "http://127.0.0.1:" + server.mailroom().httpPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void createsATenantAddsADomainAndPrintsItsZoneLines() throws Exception {
        var tenant = run("tenant", "create", "Client A", "--metadata", "crm=42", "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(tenant.exit()).as(tenant.err()).isZero();
        var tenantJson = new ObjectMapper().readTree(tenant.out());
        assertThat(tenantJson.path("name").asText()).isEqualTo("Client A");
        assertThat(tenantJson.path("metadata").path("crm").asText()).isEqualTo("42");

        var added = run("domain", "add", tenantJson.path("id").asText(), "clienta.example", "--stream", "marketing",
                "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.err()).startsWith("warning: ").contains("news.clienta.example");
        var domainId = new ObjectMapper().readTree(added.out()).path("id").asText();

        var records = run("domain", "records", domainId, "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(records.exit()).as(records.err()).isZero();
        assertThat(records.out())
                .containsPattern("(?m)^[a-z0-9]+\\._domainkey\\.clienta\\.example\\. 3600 IN CNAME [a-z0-9]+\\.[a-z0-9]+\\.dkim\\.mailroom\\.localhost\\.$")
                .contains("rp.clienta.example. 3600 IN CNAME rp.mailroom.localhost.")
                .containsPattern("(?m)^_dmarc\\.clienta\\.example\\. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc\\+[a-z0-9]+@mailroom\\.localhost\"$")
                .contains("; dkim, required, pending:");
    }

    @Test
    void exportsATenantToAZipAndLeavesNoFileWhenRefused() throws Exception {
        var tenant = new ObjectMapper().readTree(run("tenant", "create", "Client A", "--url", url, "--key", TestServer.ADMIN_KEY).out())
                .path("id").asText();
        var zip = dataDir.resolve("client-a.zip");

        var exported = run("export", tenant, "--out", zip.toString(), "--url", url, "--key", TestServer.ADMIN_KEY);

        assertThat(exported.exit()).as(exported.err()).isZero();
        var names = new java.util.ArrayList<String>();
        String tenantJson = null;
        try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                var text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (entry.getName().equals("tenant.json")) {
                    tenantJson = text;
                }
            }
        }
        assertThat(names).contains("README.txt", "tenant.json", "domains.json", "events.jsonl");
        assertThat(new ObjectMapper().readTree(tenantJson).path("name").asText()).isEqualTo("Client A");

        var missing = dataDir.resolve("missing.zip");
        var refused = run("export", "tnt_missing", "--out", missing.toString(), "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 404");
        assertThat(missing).doesNotExist();
        assertThat(dataDir.resolve("missing.zip.part")).doesNotExist();
    }

    @Test
    void addsADashboardUserWhoseEveryFieldTheApiChecks() throws Exception {
        var tenant = new ObjectMapper().readTree(run("tenant", "create", "Client A", "--url", url, "--key", TestServer.ADMIN_KEY).out()).path("id").asText();
        var added = run("user", "add", "viewer@clienta.example", "--role", "client_viewer", "--tenant", tenant,
                "--password", "correct horse battery", "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(added.exit()).as(added.err()).isZero();
        var user = new ObjectMapper().readTree(added.out());
        assertThat(user.path("email").asText()).isEqualTo("viewer@clienta.example");
        assertThat(user.path("role").asText()).isEqualTo("client_viewer");
        assertThat(user.path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(added.out()).doesNotContain("correct horse battery");

        var noTenant = run("user", "add", "x@clienta.example", "--role", "client_viewer", "--password", "correct horse battery",
                "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(noTenant.exit()).isEqualTo(1);
        assertThat(noTenant.err()).contains("HTTP 422").contains("tenant_id");
    }

    @Test
    void failuresAreExplainedWithTheFieldsAtFault() {
        var bad = run("domain", "add", "tnt_x", "bad_name", "--stream", "promo", "--url", url, "--key", TestServer.ADMIN_KEY);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 422").contains("name:").contains("stream:");

        var noKey = run("tenant", "create", "X", "--url", url, "--key", "");
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.err()).contains("--key");

        var down = run("tenant", "create", "X", "--url", "http://127.0.0.1:1", "--key", "k");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach Mailroom");
    }
}
