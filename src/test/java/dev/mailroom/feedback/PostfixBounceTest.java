package dev.mailroom.feedback;

import dev.mailroom.Await;
import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's end-to-end bounce test against a real Postfix (Debian package postfix) as the
 * recipient domain's MX: Postfix refuses an unknown user at RCPT, and accepts another address
 * only to bounce it afterwards with a DSN to Mailroom's VERP return path, which Postfix delivers
 * to Mailroom's inbound MX. The Postfix instance is private to the test: its own configuration
 * and queue in a temporary directory, its master process run in the foreground as a child of the
 * test ({@code master -c DIR -d}), listening only on 127.0.0.40 at delivery.mx_port.
 */
class PostfixBounceTest {
    private static final Path MASTER = Path.of("/usr/lib/postfix/sbin/master");
    /** The recipient domain's MX: the only address Postfix listens on. */
    private static final String MX = "127.0.0.40";
    /**
     * Mailroom's inbound MX for this test. Not 127.0.0.1: that is Postfix's own address
     * (inet_interfaces), and Postfix's SMTP client refuses a next hop that is its own address
     * ("mail for ... loops back to myself"), whatever the port.
     */
    private static final String INBOUND = "127.0.0.41";
    private static final String DOMAIN = "postfix.clienta.example";

    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private Postfix postfix;
    private String key;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MASTER), "Postfix (Debian package postfix) is not installed; .ci/run installs it");
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "Postfix's master runs only as root; CI runs the tests as root");
        int mxPort = SmtpSink.freePort(MX);
        database = TestDatabase.H2.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of(
                "MAILROOM_DELIVERY_ENABLED", "true",
                "MAILROOM_DELIVERY_MX_PORT", Integer.toString(mxPort),
                "MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1s",
                "MAILROOM_DELIVERY_RETRY_MAX_DELAY", "2s",
                "MAILROOM_SMTP_INBOUND_LISTEN", INBOUND + ":0"));
        server = fixture.server();
        var tenant = fixture.createTenant("Client A");
        fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
        key = fixture.key(tenant, "\"send\",\"read\"", null);
        fixture.publishZoneLines(List.of("postfix IN MX 10 mx.postfix", "mx.postfix IN A " + MX));
        postfix = Postfix.start(dir.resolve("postfix"), mxPort, INBOUND + ":" + server.mailroom().inboundPort());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void rejectedAtRcptOrBouncedLaterByPostfixTheRecipientIsBounced() throws Exception {
        var delivered = send("ann@" + DOMAIN);
        var unknown = send("nobody@" + DOMAIN);
        var later = send("later@" + DOMAIN);

        // a known user: Postfix takes it (and discards it)
        awaitStatus(delivered, "delivered");
        assertThat(event(delivered, "message.delivered").path("mx_host").asText()).isEqualTo("mx." + DOMAIN);

        // 1. an unknown user: refused at RCPT, a hard bounce during Mailroom's own transaction
        awaitStatus(unknown, "bounced");
        var refused = event(unknown, "message.bounced");
        assertThat(refused.path("bounce_type").asText()).isEqualTo("hard");
        assertThat(refused.path("category").asText()).isEqualTo("bad_mailbox");
        assertThat(refused.path("response").asText()).startsWith("550 5.1.1").contains("User unknown in relay recipient table");
        assertThat(refused.path("mx_host").asText()).isEqualTo("mx." + DOMAIN);

        // 2. accepted by Postfix (250 after DATA), then bounced by it: its DSN comes back to the return path
        awaitStatus(later, "bounced", postfix);
        var bounces = events(later, "message.bounced");
        assertThat(bounces).as("one bounce, from Postfix's DSN").hasSize(1);
        var dsn = bounces.get(0).path("data");
        assertThat(dsn.path("source").asText()).isEqualTo("dsn");
        assertThat(dsn.path("bounce_type").asText()).isEqualTo("hard");
        assertThat(dsn.path("category").asText()).isEqualTo("bad_mailbox");
        assertThat(dsn.path("response").asText()).isEqualTo("550 5.1.1 Mailbox disabled for this recipient");
        assertThat(events(later, "message.delivered")).as("Postfix took it first").hasSize(1);
        // Postfix logs its delivery of the DSN only once Mailroom has answered 250 (after recording it)
        var dsnSent = "relay=" + INBOUND + "[" + INBOUND + "]:" + server.mailroom().inboundPort();
        Await.until("Postfix to log the DSN as sent", Duration.ofSeconds(10), () -> postfix.log().lines().anyMatch(l -> l.contains(dsnSent) && l.contains("status=sent (250")));
        assertThat(postfix.log()).contains("to=<later@" + DOMAIN + ">, relay=disabled").contains("dsn=5.1.1, status=bounced");

        var laterSuppressed = suppressions("later@" + DOMAIN);
        assertThat(laterSuppressed).as("suppressed by the DSN").hasSize(1);
        assertThat(laterSuppressed.get(0).path("reason").asText()).isEqualTo("hard_bounce");
        // the refusal at RCPT, once its delivery report is recorded, suppresses too
        Await.until("the refused address suppressed", Duration.ofSeconds(10), () -> suppressions("nobody@" + DOMAIN).size() == 1);
        assertThat(suppressions("nobody@" + DOMAIN).get(0).path("reason").asText()).isEqualTo("hard_bounce");

        // 3. the next send to either address comes back suppressed
        for (var address : List.of("later@" + DOMAIN, "nobody@" + DOMAIN)) {
            var again = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"" + address
                    + "\"],\"subject\":\"Hi\",\"text\":\"Hello\"}");
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.json().path("recipients").get(0).path("status").asText()).as(address).isEqualTo("suppressed");
        }
    }

    private String send(String to) {
        var response = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"" + to + "\"],\"subject\":\"Hi\",\"text\":\"Hello\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("id");
    }

    private JsonNode recipient(String id) {
        return server.get("/v1/messages/" + id, key).json().path("recipients").get(0);
    }

    private List<JsonNode> events(String id, String type) {
        var list = new ArrayList<JsonNode>();
        server.get("/v1/events?message_id=" + id + "&type=" + type, ADMIN_KEY).json().path("data").forEach(list::add);
        return list;
    }

    private JsonNode event(String id, String type) {
        var list = events(id, type);
        assertThat(list).as("%s of %s", type, id).isNotEmpty();
        return list.get(0).path("data");
    }

    private List<JsonNode> suppressions(String email) {
        var list = new ArrayList<JsonNode>();
        server.get("/v1/suppressions?email=" + email, ADMIN_KEY).json().path("data").forEach(list::add);
        return list;
    }

    private void awaitStatus(String id, String status) throws Exception {
        awaitStatus(id, status, null);
    }

    private void awaitStatus(String id, String status, Postfix log) throws Exception {
        try {
            Await.until(id + " to be " + status, Duration.ofSeconds(30), () -> recipient(id).path("status").asText().equals(status));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + recipient(id) + (log == null ? "" : "\nPostfix's log:\n" + log.log()), e);
        }
    }

    /**
     * A private Postfix instance: main.cf and master.cf in {@code root/conf}, the queue in
     * {@code root/queue}, the log in {@code root/maillog}; {@code master -c root/conf -d} runs in
     * the foreground as a child process and is stopped with SIGTERM (its daemons go with it).
     */
    static final class Postfix implements AutoCloseable {
        private static final List<String> PRIVATE_QUEUE_DIRS =
                List.of("active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming", "private", "saved", "trace");
        private final Process master;
        private final Path root;

        private Postfix(Process master, Path root) {
            this.master = master;
            this.root = root;
        }

        /**
         * @param mxPort the port it listens on at 127.0.0.40
         * @param relayhost host:port every mail not for its own domain goes to (its bounces to our return paths)
         */
        static Postfix start(Path root, int mxPort, String relayhost) throws Exception {
            var lookup = root.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner;
            GroupPrincipal postdrop;
            try {
                owner = lookup.lookupPrincipalByName("postfix");
                postdrop = lookup.lookupPrincipalByGroupName("postdrop");
            } catch (IOException e) {
                Assumptions.abort("no postfix user or postdrop group (the postfix package creates them): " + e);
                throw e;
            }
            // the daemons run as postfix: they must reach their queue and configuration under the test's directory
            for (var parent = root.getParent(); parent != null && parent.startsWith(Path.of(System.getProperty("java.io.tmpdir"))); parent = parent.getParent()) {
                if (parent.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                    break;
                }
                var permissions = Files.getPosixFilePermissions(parent);
                permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(parent, permissions);
            }
            var conf = Files.createDirectories(root.resolve("conf"));
            var queue = Files.createDirectories(root.resolve("queue"));
            var data = Files.createDirectories(root.resolve("data"));
            for (var d : List.of(root, conf, queue)) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // the queue as postfix-files lays it out (what `postfix check` / post-install create-missing would make)
            for (var name : PRIVATE_QUEUE_DIRS) {
                ownedDirectory(queue.resolve(name), owner, null, "rwx------");
            }
            ownedDirectory(queue.resolve("maildrop"), owner, postdrop, "rwx-wx---");
            ownedDirectory(queue.resolve("public"), owner, postdrop, "rwx--x---");
            Files.createDirectories(queue.resolve("pid"));
            ownedDirectory(data, owner, null, "rwx------");

            Files.writeString(conf.resolve("recipients"), "ann@" + DOMAIN + " ok\nlater@" + DOMAIN + " ok\n");
            // later@ is accepted at RCPT and fails afterwards, in a pipe(8) transport whose command exits 67
            // (EX_NOUSER: a permanent 5.1.1). An error: transport would not do: smtpd already refuses at RCPT
            // a recipient that resolves to error:, with its text.
            var mailbox = Files.writeString(conf.resolve("disabled-mailbox"), "#!/bin/sh\necho Mailbox disabled for this recipient\nexit 67\n");
            Files.setPosixFilePermissions(mailbox, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(conf.resolve("transport"), "later@" + DOMAIN + " disabled:\n" + DOMAIN + " discard:\n");
            Files.writeString(conf.resolve("main.cf"), """
                    compatibility_level = 3.6
                    queue_directory = %1$s/queue
                    data_directory = %1$s/data
                    mail_owner = postfix
                    setgid_group = postdrop
                    myhostname = mx.%2$s
                    mydomain = %2$s
                    myorigin = $myhostname
                    mydestination =
                    local_recipient_maps =
                    alias_maps =
                    alias_database =
                    biff = no
                    # Postfix's own address: it must be an address of an interface (127.0.0.40 is routed
                    # to lo but is no interface's address, so "no local interface found"). It listens
                    # on nothing by itself: the only listener is master.cf's 127.0.0.40:port.
                    inet_interfaces = 127.0.0.1
                    inet_protocols = ipv4
                    mynetworks = 127.0.0.0/8
                    # the recipient domain: known users only (others 550 5.1.1 at RCPT)
                    relay_domains = %2$s
                    relay_recipient_maps = texthash:%1$s/conf/recipients
                    transport_maps = texthash:%1$s/conf/transport
                    # everything else (the DSNs to rp.* return paths) to Mailroom's inbound MX, no DNS
                    relayhost = [%3$s]:%4$s
                    smtp_dns_support_level = disabled
                    smtp_host_lookup = native
                    smtp_tls_security_level = none
                    smtpd_tls_security_level = none
                    minimal_backoff_time = 1s
                    maximal_backoff_time = 2s
                    queue_run_delay = 1s
                    # no syslog here: log through postlogd (master.cf) to a file, allowed by the prefixes
                    maillog_file = %1$s/maillog
                    maillog_file_prefixes = %1$s
                    """.formatted(root, DOMAIN, relayhost.substring(0, relayhost.lastIndexOf(':')), relayhost.substring(relayhost.lastIndexOf(':') + 1)));
            // no chroot (the queue has no chroot tree), and the only inet service is the MX on 127.0.0.40
            Files.writeString(conf.resolve("master.cf"), """
                    %s:%d inet n - n - - smtpd
                    pickup    unix  n       -       n       60      1       pickup
                    cleanup   unix  n       -       n       -       0       cleanup
                    qmgr      unix  n       -       n       300     1       qmgr
                    rewrite   unix  -       -       n       -       -       trivial-rewrite
                    bounce    unix  -       -       n       -       0       bounce
                    defer     unix  -       -       n       -       0       bounce
                    trace     unix  -       -       n       -       0       bounce
                    verify    unix  -       -       n       -       1       verify
                    flush     unix  n       -       n       1000?   0       flush
                    proxymap  unix  -       -       n       -       -       proxymap
                    smtp      unix  -       -       n       -       -       smtp
                    relay     unix  -       -       n       -       -       smtp
                    showq     unix  n       -       n       -       -       showq
                    error     unix  -       -       n       -       -       error
                    retry     unix  -       -       n       -       -       error
                    discard   unix  -       -       n       -       -       discard
                    anvil     unix  -       -       n       -       1       anvil
                    scache    unix  -       -       n       -       1       scache
                    postlog   unix-dgram n  -       n       -       1       postlogd
                    disabled  unix  -       n       n       -       -       pipe
                      flags=q user=nobody argv=%s/disabled-mailbox
                    """.formatted(MX, mxPort, conf));

            var master = new ProcessBuilder(MASTER.toString(), "-c", conf.toString(), "-d").redirectErrorStream(true)
                    .redirectOutput(root.resolve("master.out").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var postfix = new Postfix(master, root);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                if (!master.isAlive()) {
                    // a fatal error at start goes to syslog only (no postlogd yet), and there is no syslog here:
                    // `postfix check` says it on stderr, but only to a terminal
                    var check = new ProcessBuilder("script", "-qec", "/usr/sbin/postfix -c " + conf + " check", "/dev/null").redirectErrorStream(true).start();
                    var why = new String(check.getInputStream().readAllBytes()).strip();
                    check.waitFor(10, TimeUnit.SECONDS);
                    Assumptions.abort("Postfix's master exited with " + master.exitValue() + " here: " + why + "\n" + postfix.log());
                }
                try (var socket = new Socket()) {
                    socket.connect(new InetSocketAddress(MX, mxPort), 200);
                    return postfix;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        postfix.close();
                        Assumptions.abort("Postfix did not listen on " + MX + ":" + mxPort + " within 10 s\n" + postfix.log());
                    }
                    Thread.sleep(50);
                }
            }
        }

        private static void ownedDirectory(Path path, UserPrincipal owner, GroupPrincipal group, String permissions) throws IOException {
            Files.createDirectories(path);
            var view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(owner);
            if (group != null) {
                view.setGroup(group);
            }
            view.setPermissions(PosixFilePermissions.fromString(permissions));
        }

        String log() {
            try {
                var log = root.resolve("maillog");
                return Files.exists(log) ? Files.readString(log) : "(no maillog)";
            } catch (IOException e) {
                return "(maillog unreadable: " + e + ")";
            }
        }

        /** SIGTERM to master, which stops its daemons; SIGKILL to whatever is left after 10 s. */
        @Override
        public void close() throws InterruptedException {
            var children = master.descendants().toList();
            master.destroy();
            if (!master.waitFor(10, TimeUnit.SECONDS)) {
                master.destroyForcibly();
                master.waitFor(5, TimeUnit.SECONDS);
            }
            for (var child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }
    }
}
