package dev.mailroom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.mailroom.api.TestServer;
import dev.mailroom.dkim.MasterKey;
import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.store.Database;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.DomainKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** What was accepted survives a restart; secrets never appear in clear on disk, in logs or in answers. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class RestartAndSecretsTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dataDir;

    private TestDatabase.Instance database;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() {
        database = kind.create();
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        root().detachAppender(logs);
        if (database != null) {
            database.close();
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** The embedded H2 lives in data_dir, so that is what a restart must find again; PostgreSQL is external. */
    private TestDatabase.Instance external() {
        return kind == TestDatabase.H2 ? null : database;
    }

    private String url() {
        return kind == TestDatabase.H2 ? Database.embeddedUrl(dataDir) : database.url();
    }

    @Test
    void tenantsDomainsAndKeysSurviveARestart() {
        try (var server = TestServer.start(dataDir, external(), Map.of("MAILROOM_ADMIN_KEY", ""))) {
            var admin = generatedKey(server.console());
            var tenant = server.post("/v1/tenants", admin, "{\"name\":\"Client A\"}").json();
            var domain = server.post("/v1/domains", admin,
                    "{\"tenant_id\":\"" + tenant.path("id").asText() + "\",\"name\":\"news.clienta.example\",\"stream\":\"marketing\"}").json();
            var key = server.post("/v1/api-keys", admin, "{\"tenant_id\":\"" + tenant.path("id").asText() + "\",\"permissions\":[\"read\"]}").text("key");

            server.restart();

            assertThat(Pattern.compile("mr_[0-9a-z]{26}_").matcher(server.console()).results().count())
                    .as("the generated admin key is printed at first start only").isEqualTo(1);
            assertThat(server.get("/v1/tenants/" + tenant.path("id").asText(), admin).json()).isEqualTo(tenant);
            assertThat(server.get("/v1/domains/" + domain.path("id").asText(), key).json()).isEqualTo(domain);
        }
    }

    @Test
    void privateKeysAreNeverInClearOnDiskInLogsOrInAnswers() throws Exception {
        String answers;
        try (var server = TestServer.start(dataDir, external())) {
            var tenant = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
            var domain = server.post("/v1/domains", TestServer.ADMIN_KEY,
                    "{\"tenant_id\":\"" + tenant + "\",\"name\":\"tx.clienta.example\",\"setup\":\"txt\"}");
            answers = domain.body() + server.get("/v1/domains", TestServer.ADMIN_KEY).body()
                    + server.get("/v1/domains/" + domain.text("id"), TestServer.ADMIN_KEY).body();
        }
        var privateKeys = unsealedPrivateKeys();
        assertThat(privateKeys).hasSize(2);

        var logText = new StringBuilder();
        for (var event : logs.list) {
            logText.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                logText.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        var files = new ArrayList<byte[]>();
        try (var paths = Files.walk(dataDir)) {
            for (var path : paths.filter(Files::isRegularFile).toList()) {
                files.add(Files.readAllBytes(path));
            }
        }
        assertThat(files).isNotEmpty();
        if (kind == TestDatabase.H2) {
            // a control: the database file is searchable text, so the searches below can find what is there
            assertThat(files).anySatisfy(file -> assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("tx.clienta.example"));
        }
        for (var pkcs8 : privateKeys) {
            var base64 = Base64.getEncoder().encodeToString(pkcs8);
            // key material past the fixed DER header (16 bytes for Ed25519's 48, more for RSA), raw and in base64
            int offset = pkcs8.length == 48 ? 16 : 48;
            var tail = Arrays2.tail(pkcs8, offset);
            int start = (offset / 3 + 1) * 4;
            var tailBase64 = base64.substring(start, Math.min(base64.length(), start + 40));
            assertThat(answers).doesNotContain(tailBase64);
            assertThat(logText.toString()).doesNotContain(tailBase64);
            for (var file : files) {
                assertThat(Arrays2.indexOf(file, tail)).isNegative();
                assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(tailBase64);
            }
        }
    }

    @Test
    void aWrongMasterKeyStopsStartUp() {
        try (var server = TestServer.start(dataDir, external())) {
            server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client A\"}");
        }
        var other = MasterKey.generate().toBase64();
        assertThatThrownBy(() -> TestServer.start(dataDir, external(), Map.of("MAILROOM_MASTER_KEY", other)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("master_key");
    }

    private List<byte[]> unsealedPrivateKeys() throws Exception {
        var sealer = new SecretSealer(MasterKey.fromBase64(Files.readString(dataDir.resolve("master.key"))));
        try (var db = Database.open(url(), 2)) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT id, sealed_private_key FROM dkim_keys")
                    .map((rs, ctx) -> sealer.open(rs.getString("sealed_private_key"), DomainKey.sealContext(rs.getString("id"))))
                    .list());
        }
    }

    private static String generatedKey(String console) {
        var matcher = Pattern.compile("mr_[0-9a-z]{26}_[A-Za-z0-9_-]{43}").matcher(console);
        assertThat(matcher.find()).as("a generated admin key on the console: " + console).isTrue();
        return matcher.group();
    }

    /** Byte-array search, for looking for key material inside database files. */
    private static final class Arrays2 {
        static byte[] tail(byte[] bytes, int from) {
            return java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 32));
        }

        static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
