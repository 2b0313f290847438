package dev.mailroom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        var file = dir.resolve("mailroom.yml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsMatchTheSpec() {
        var config = ConfigLoader.load(null, Map.of());
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.platformDomain()).isEqualTo("mailroom.localhost");
        assertThat(config.httpListen()).isEqualTo(new HostPort("127.0.0.1", 8025));
        assertThat(config.smtpSubmissionListen()).isEqualTo(new HostPort("127.0.0.1", 2587));
        assertThat(config.smtpInboundListen()).isEqualTo(new HostPort("127.0.0.1", 2525));
        assertThat(config.dnsServers()).isEmpty();
        assertThat(config.dnsAuthoritativeListen()).isNull();
        assertThat(config.delivery().mxPort()).isEqualTo(25);
        assertThat(config.delivery().smarthost()).isNull();
        assertThat(config.webhooksAllowPrivate()).isFalse();
        assertThat(config.reputationMinVolume()).isEqualTo(100);
        assertThat(config.hostname()).isNotBlank();
        assertThat(config.smtpSubmission()).isEqualTo(new MailroomConfig.SmtpSubmission(null, null, false, 3, 1000, java.time.Duration.ofMinutes(5)));
        assertThat(config.sending()).isEqualTo(new MailroomConfig.Sending(26_214_400, 1000, 0, 0));
        assertThat(config.spoolRetention()).isEqualTo(java.time.Duration.ofDays(7));
    }

    @Test
    void aCertificateComesWithItsKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MAILROOM_SMTP_SUBMISSION_TLS_CERT", "/etc/cert.pem")))
                .hasMessageContaining("set both");
    }

    @Test
    void fileSetsKeysAndEnvironmentOverridesThem() throws Exception {
        var file = yaml("""
                data_dir: /var/lib/mailroom
                platform_domain: Mail.Agency.example
                http:
                  listen: 0.0.0.0:8080
                dns:
                  servers: [127.0.0.1:5353, "[::1]:53"]
                delivery:
                  mx_port: 2526
                webhooks:
                  allow_private: true
                """);
        var config = ConfigLoader.load(file, Map.of("MAILROOM_HTTP_LISTEN", "127.0.0.1:9000", "MAILROOM_DNS_SERVERS", "10.0.0.53:53, 10.0.0.54:53"));
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/mailroom"));
        assertThat(config.platformDomain()).isEqualTo("mail.agency.example");
        assertThat(config.httpListen()).isEqualTo(new HostPort("127.0.0.1", 9000));
        assertThat(config.dnsServers()).containsExactly(new HostPort("10.0.0.53", 53), new HostPort("10.0.0.54", 53));
        assertThat(config.delivery().mxPort()).isEqualTo(2526);
        assertThat(config.webhooksAllowPrivate()).isTrue();
        assertThat(ConfigLoader.load(file, Map.of()).dnsServers()).containsExactly(new HostPort("127.0.0.1", 5353), new HostPort("::1", 53));
    }

    @Test
    void unknownKeysAndBadValuesAreAllNamed() throws Exception {
        var file = yaml("""
                http:
                  listen: nowhere
                  lisen: 1
                smtp: {submission: {listen: "127.0.0.1:99999"}}
                delivery:
                  mx_port: twenty-five
                reputation:
                  min_volume: 0
                database:
                  url: mysql://x
                admin_key: short
                colour: blue
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("MAILROOM_WEBHOOKS_ALLOW_PRIVATE", "yes", "MAILROOM_HTTP_LISEN", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.listen:")
                .hasMessageContaining("http.lisen: unknown key")
                .hasMessageContaining("smtp.submission.listen:")
                .hasMessageContaining("delivery.mx_port:")
                .hasMessageContaining("reputation.min_volume:")
                .hasMessageContaining("database.url:")
                .hasMessageContaining("admin_key:")
                .hasMessageContaining("colour: unknown key")
                .hasMessageContaining("MAILROOM_WEBHOOKS_ALLOW_PRIVATE:")
                .hasMessageContaining("MAILROOM_HTTP_LISEN is not a configuration key");
    }

    @Test
    void aMappingWhereAValueBelongsIsAnError() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("data_dir: {a: 1}\n"), Map.of()))
                .hasMessageContaining("data_dir: expected a value");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("- a\n- b\n"), Map.of())).hasMessageContaining("must be a mapping");
    }

    @Test
    void variablesThatAreNotKeysButKnownAreAllowed() {
        ConfigLoader.load(null, Map.of("MAILROOM_API_KEY", "x", "MAILROOM_TEST_POSTGRES_URL", "jdbc:postgresql://x/y", "HOME", "/root"));
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        var docs = Files.readString(Path.of("docs/configuration.md"));
        for (var key : ConfigLoader.KEYS) {
            assertThat(docs).as("docs/configuration.md documents " + key.name()).contains("`" + key.name() + "`");
            assertThat(docs).as("docs/configuration.md names " + key.envName()).contains(key.envName());
        }
        assertThat(ConfigLoader.KEYS.stream().map(ConfigLoader.Key::name).toList())
                .containsAll(List.of("data_dir", "database.url", "redis.url", "admin_key", "hostname", "platform_domain",
                        "http.listen", "smtp.submission.listen", "smtp.inbound.listen", "dns.servers", "dns.authoritative.listen",
                        "delivery.mx_port", "delivery.smarthost", "webhooks.allow_private", "reputation.min_volume"));
    }
}
