package dev.mailroom.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserApiTest {
    private static final String ADMIN = TestServer.ADMIN_KEY;
    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theAdminKeyCreatesListsAndDeletesUsersWithoutEverShowingAPassword() {
        var tenant = server.post("/v1/tenants", ADMIN, "{\"name\":\"Client A\"}").text("id");
        var admin = server.post("/v1/users", ADMIN, "{\"email\":\"boss@agency.example\",\"password\":\"a long passphrase\",\"role\":\"agency_admin\"}");
        assertThat(admin.status()).isEqualTo(201);
        assertThat(admin.text("role")).isEqualTo("agency_admin");
        assertThat(admin.json().has("tenant_id")).isTrue();
        var viewer = server.post("/v1/users", ADMIN, "{\"email\":\"viewer@client.example\",\"password\":\"another passphrase\",\"role\":\"client_viewer\",\"tenant_id\":\"" + tenant + "\"}");
        assertThat(viewer.status()).isEqualTo(201);
        assertThat(viewer.text("tenant_id")).isEqualTo(tenant);

        var list = server.get("/v1/users", ADMIN);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("data").findValuesAsText("email")).containsExactly("boss@agency.example", "viewer@client.example");
        assertThat(admin.body() + viewer.body() + list.body()).doesNotContain("passphrase").doesNotContain("password").doesNotContain("argon2");

        assertThat(server.send("DELETE", "/v1/users/" + viewer.text("id"), ADMIN, null).status()).isEqualTo(204);
        assertThat(server.send("DELETE", "/v1/users/" + viewer.text("id"), ADMIN, null).status()).isEqualTo(404);
    }

    @Test
    void badInputNamesItsFieldsAndADuplicateEmailConflicts() {
        var invalid = server.post("/v1/users", ADMIN, "{\"email\":\"nope\",\"password\":\"short\",\"role\":\"client_viewer\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("email", "password", "tenant_id");
        assertThat(server.post("/v1/users", ADMIN, "{\"email\":\"a@agency.example\",\"password\":\"a long passphrase\",\"role\":\"owner\"}").status())
                .isEqualTo(422);

        var body = "{\"email\":\"a@agency.example\",\"password\":\"a long passphrase\",\"role\":\"agency_operator\"}";
        assertThat(server.post("/v1/users", ADMIN, body).status()).isEqualTo(201);
        var duplicate = server.post("/v1/users", ADMIN, body.replace("a@", "A@"));
        assertThat(duplicate.status()).isEqualTo(409);
    }

    @Test
    void onlyAgencyKeysManageUsersAndReadingNeedsRead() {
        var tenant = server.post("/v1/tenants", ADMIN, "{\"name\":\"Client A\"}").text("id");
        var tenantKey = server.post("/v1/api-keys", ADMIN, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"read\",\"manage\"]}").text("key");
        var reader = server.post("/v1/api-keys", ADMIN, "{\"permissions\":[\"read\"]}").text("key");
        var body = "{\"email\":\"a@agency.example\",\"password\":\"a long passphrase\",\"role\":\"agency_admin\"}";

        assertThat(server.post("/v1/users", tenantKey, body).status()).isEqualTo(403);
        assertThat(server.get("/v1/users", tenantKey).status()).isEqualTo(403);
        assertThat(server.post("/v1/users", reader, body).status()).isEqualTo(403);
        assertThat(server.get("/v1/users", reader).status()).isEqualTo(200);
        assertThat(server.get("/v1/users", null).status()).isEqualTo(401);
    }
}
