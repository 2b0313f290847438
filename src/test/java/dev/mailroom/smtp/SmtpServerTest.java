package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SMTP dialogue over a plain socket: greeting, EHLO, transactions, pipelining, sequencing, syntax and limits. */
class SmtpServerTest {
    static final String HOST = "mail.mailroom.test";
    private final RecordingHandler handler = new RecordingHandler();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private SmtpServer server(SmtpServer.Settings settings) throws Exception {
        var server = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), settings, null, handler).start();
        open.add(server);
        return server;
    }

    private TestClient client(SmtpServer server) throws Exception {
        var client = new TestClient(server.port());
        open.add(client);
        return client;
    }

    /** A client past the greeting and EHLO. */
    private TestClient greeted(SmtpServer server) throws Exception {
        var client = client(server);
        assertThat(client.reply().code()).isEqualTo(220);
        assertThat(client.command("EHLO client.example").code()).isEqualTo(250);
        return client;
    }

    private SmtpServer server() throws Exception {
        return server(SmtpServer.Settings.defaults(HOST));
    }

    @Test
    void greetsAndAdvertisesTheExtensions() throws Exception {
        var client = client(server(SmtpServer.Settings.defaults(HOST).withMaxMessageBytes(1_000_000)));
        var greeting = client.reply();
        assertThat(greeting.code()).isEqualTo(220);
        assertThat(greeting.text()).startsWith(HOST + " ESMTP");
        var ehlo = client.command("EHLO client.example");
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines()).containsExactly(HOST, "PIPELINING", "SIZE 1000000", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES");
        // no TLS material: no STARTTLS; no TLS: no AUTH
        assertThat(client.command("STARTTLS").wire()).isEqualTo("502 5.5.1 STARTTLS not available\r\n");
        assertThat(client.command("AUTH PLAIN AGFsaWNlAHNlY3JldA==").wire())
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism\r\n");
        var helo = client.command("HELO client.example");
        assertThat(helo.wire()).isEqualTo("250 " + HOST + "\r\n");
        assertThat(client.command("QUIT").wire()).isEqualTo("221 2.0.0 " + HOST + " closing connection\r\n");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void takesAPipelinedTransactionInOneWriteAndHandsOverTheExactBytes() throws Exception {
        var client = client(server());
        client.reply();
        // RFC 2920: everything up to DATA in one write; the replies come back together
        client.send("EHLO client.example\r\nMAIL FROM:<sender@clienta.example> BODY=8BITMIME\r\nRCPT TO:<a@example.net>\r\n"
                + "RCPT TO:<refused@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        assertThat(client.reply().code()).isEqualTo(250);
        assertThat(client.reply().wire()).isEqualTo("250 2.1.0 Sender OK\r\n");
        assertThat(client.reply().wire()).isEqualTo("250 2.1.5 Recipient OK\r\n");
        assertThat(client.reply().wire()).isEqualTo("550 5.1.1 No such user\r\n");
        assertThat(client.reply().wire()).isEqualTo("250 2.1.5 Recipient OK\r\n");
        assertThat(client.reply().code()).isEqualTo(354);
        var message = "Subject: caf\u00e9\r\n\r\n..leading dot\r\n..\r\n.\u00e9\r\n\r\nend\r\n";
        client.write(("Subject: caf\u00e9\r\n\r\n...leading dot\r\n...\r\n..\u00e9\r\n\r\nend\r\n.\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(client.reply().wire()).isEqualTo("250 2.0.0 Queued as 1\r\n");
        assertThat(client.reply().code()).isEqualTo(221);
        var transaction = handler.transactions.getFirst();
        assertThat(transaction.helo()).isEqualTo("client.example");
        assertThat(transaction.reversePath()).isEqualTo("sender@clienta.example");
        assertThat(transaction.recipients()).containsExactly("a@example.net", "b@example.org");
        assertThat(transaction.message()).isEqualTo(message.getBytes(StandardCharsets.UTF_8));
        assertThat(transaction.eightBit()).isTrue();
        assertThat(transaction.smtputf8()).isFalse();
    }

    @Test
    void keepsCommandsInSequence() throws Exception {
        var client = client(server());
        client.reply();
        assertThat(client.command("MAIL FROM:<a@example.net>").wire()).isEqualTo("503 5.5.1 Send EHLO or HELO first\r\n");
        client.command("EHLO client.example");
        assertThat(client.command("RCPT TO:<a@example.net>").wire()).isEqualTo("503 5.5.1 Need MAIL before RCPT\r\n");
        assertThat(client.command("DATA").wire()).isEqualTo("503 5.5.1 Need MAIL before DATA\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        assertThat(client.command("MAIL FROM:<a@example.net>").wire()).isEqualTo("503 5.5.1 Nested MAIL command\r\n");
        assertThat(client.command("RCPT TO:<refused@example.net>").code()).isEqualTo(550);
        assertThat(client.command("DATA").wire()).isEqualTo("554 5.5.1 No valid recipients\r\n");
        assertThat(client.command("RSET").wire()).isEqualTo("250 2.0.0 OK\r\n");
        assertThat(client.command("RCPT TO:<a@example.net>").code()).isEqualTo(503);
        // a new EHLO ends the transaction too (RFC 5321 §4.1.4)
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        client.command("EHLO client.example");
        assertThat(client.command("RCPT TO:<a@example.net>").code()).isEqualTo(503);
        assertThat(client.command("NOOP").wire()).isEqualTo("250 2.0.0 OK\r\n");
        assertThat(client.command("VRFY alice").wire()).isEqualTo("252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n");
        assertThat(client.command("EXPN staff").wire()).isEqualTo("502 5.5.1 EXPN not implemented\r\n");
        assertThat(client.command("HELP").code()).isEqualTo(214);
        assertThat(client.command("BDAT 10 LAST").wire()).isEqualTo("500 5.5.1 Command unrecognized\r\n");
        assertThat(client.command("rset").code()).isEqualTo(250);
        assertThat(handler.transactions).isEmpty();
    }

    @Test
    void refusesBadSyntaxWithTheRightCodes() throws Exception {
        var client = greeted(server());
        assertThat(client.command("EHLO").wire()).isEqualTo("501 5.5.4 Syntax: EHLO domain\r\n");
        client.command("EHLO client.example");
        assertThat(client.command("MAIL FROM:sender@example.net").wire()).isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
        assertThat(client.command("MAIL TO:<sender@example.net>").code()).isEqualTo(501);
        assertThat(client.command("MAIL FROM:<sender@@example.net>").wire()).isEqualTo("501 5.1.7 Bad address syntax: <sender@@example.net>\r\n");
        assertThat(client.command("MAIL FROM:<sender@example.net").wire()).isEqualTo("501 5.1.7 Address lacks its closing '>'\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>junk").code()).isEqualTo(501);
        assertThat(client.command("MAIL FROM:<a@example.net> FOO=bar").wire()).isEqualTo("555 5.5.4 Unsupported parameter FOO\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net> BODY=BINARYMIME").wire()).isEqualTo("555 5.5.4 BODY is 7BIT or 8BITMIME\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net> SIZE=lots").wire()).isEqualTo("501 5.5.4 Syntax: SIZE=octets\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net> SIZE=1 SIZE=2").code()).isEqualTo(501);
        assertThat(client.command("MAIL FROM:<a@" + "b".repeat(64) + ".example>").wire()).isEqualTo("501 5.1.7 Domain label longer than 63 octets\r\n");
        assertThat(client.command("MAIL FROM:<" + "a".repeat(65) + "@example.net>").wire()).isEqualTo("501 5.1.7 Local part longer than 64 octets\r\n");
        assertThat(client.command("MAIL FROM:<a@[300.1.1.1]>").wire()).isEqualTo("501 5.1.7 Bad address literal: [300.1.1.1]\r\n");
        assertThat(client.command("RSET now").wire()).isEqualTo("501 5.5.4 Syntax: RSET\r\n");
        assertThat(client.command("VRFY").code()).isEqualTo(501);
        // accepted forms: the null path, a space after the colon, quoted local parts, address literals, a source route (dropped)
        assertThat(client.command("MAIL FROM:<> SIZE=100 BODY=7BIT AUTH=<>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<>").wire()).isEqualTo("501 5.1.3 A recipient cannot be <>\r\n");
        assertThat(client.command("RCPT TO:<a@example..net>").wire()).isEqualTo("501 5.1.3 Bad address syntax: <a@example..net>\r\n");
        assertThat(client.command("RCPT TO:<a@example.net> NOTIFY=NEVER").wire()).isEqualTo("555 5.5.4 Unsupported parameter NOTIFY\r\n");
        assertThat(client.command("RCPT TO: <\"john doe\\\"\"@example.net>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<postmaster@[192.0.2.1]>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<x@[IPv6:2001:db8::1]>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<@relay.example,@other.example:c@example.org>").code()).isEqualTo(250);
        assertThat(handler.events).contains("mail <>", "rcpt <\"john doe\\\"\"@example.net>", "rcpt <c@example.org>");
        // parameters belong to ESMTP
        client.command("HELO client.example");
        assertThat(client.command("MAIL FROM:<a@example.net> BODY=8BITMIME").wire()).isEqualTo("555 5.5.4 Parameters need EHLO\r\n");
    }

    @Test
    void takesNonAsciiAddressesOnlyWithSmtputf8() throws Exception {
        var client = greeted(server());
        assertThat(client.command("MAIL FROM:<\u00e9l\u00e8ve@\u00e9cole.example>").wire()).isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a>").code()).isEqualTo(553);
        client.command("RSET");
        assertThat(client.command("MAIL FROM:<\u00e9l\u00e8ve@\u00e9cole.example> SMTPUTF8").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a>").code()).isEqualTo(250);
        assertThat(client.command("DATA").code()).isEqualTo(354);
        assertThat(client.command("Subject: \u00e9\r\n\r\nbonjour\r\n.").code()).isEqualTo(250);
        var transaction = handler.transactions.getFirst();
        assertThat(transaction.smtputf8()).isTrue();
        assertThat(transaction.reversePath()).isEqualTo("\u00e9l\u00e8ve@\u00e9cole.example");
        assertThat(transaction.recipients()).containsExactly("\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a");
        client.write("NOOP \u00ff\u00fe\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(client.reply().wire()).isEqualTo("500 5.5.2 Command is not valid UTF-8\r\n");
    }

    @Test
    void enforcesTheSizeLimitDeclaredAndActual() throws Exception {
        var client = greeted(server(SmtpServer.Settings.defaults(HOST).withMaxMessageBytes(1000)));
        assertThat(client.command("MAIL FROM:<a@example.net> SIZE=1001").wire()).isEqualTo("552 5.3.4 Message too big, the limit is 1000 octets\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net> SIZE=1000").code()).isEqualTo(250);
        client.command("RCPT TO:<b@example.net>");
        assertThat(client.command("DATA").code()).isEqualTo(354);
        // read to the dot all the same, then refused; the session goes on
        assertThat(client.command(("x".repeat(98) + "\r\n").repeat(11) + ".").wire()).isEqualTo("552 5.3.4 Message too big, the limit is 1000 octets\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        var exactly = ("x".repeat(98) + "\r\n").repeat(10);
        assertThat(client.command(exactly + ".").code()).isEqualTo(250);
        assertThat(handler.transactions).singleElement().satisfies(t -> assertThat(t.message()).hasSize(1000));
    }

    @Test
    void limitsRecipientsPerMessage() throws Exception {
        var client = greeted(server(SmtpServer.Settings.defaults(HOST).withMaxRecipients(2)));
        client.command("MAIL FROM:<a@example.net>");
        assertThat(client.command("RCPT TO:<b@example.net>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<refused@example.net>").code()).isEqualTo(550);
        assertThat(client.command("RCPT TO:<c@example.net>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<d@example.net>").wire()).isEqualTo("452 4.5.3 Too many recipients, the limit is 2\r\n");
        client.command("DATA");
        assertThat(client.command("Subject: two\r\n\r\nhi\r\n.").code()).isEqualTo(250);
        assertThat(handler.transactions.getFirst().recipients()).containsExactly("b@example.net", "c@example.net");
        assertThat(handler.events).doesNotContain("rcpt <d@example.net>");
    }

    @Test
    void refusesMessageLinesOverTheLimitAndCommandLinesOver512() throws Exception {
        var client = greeted(server());
        client.command("MAIL FROM:<a@example.net>");
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        // 998 octets is fine even with a stuffed dot in front; 999 is not
        var longest = "." + ".".repeat(998) + "\r\n";
        assertThat(client.command("Subject: long\r\n\r\n" + longest + "y".repeat(999) + "\r\nmore\r\n.").wire())
                .isEqualTo("554 5.6.0 Message has a line longer than 998 octets\r\n");
        client.command("MAIL FROM:<a@example.net>");
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        assertThat(client.command("Subject: long\r\n\r\n" + longest + ".").code()).isEqualTo(250);
        assertThat(handler.transactions.getFirst().message()).hasSize(17 + 1000);
        // 510 octets and CRLF is the longest command line
        assertThat(client.command("NOOP " + "x".repeat(505)).code()).isEqualTo(250);
        assertThat(client.command("NOOP " + "x".repeat(506)).wire()).isEqualTo("500 5.5.2 Line too long, the limit is 512 octets\r\n");
        assertThat(client.command("NOOP " + "x".repeat(100_000)).code()).isEqualTo(500);
        assertThat(client.command("NOOP").code()).isEqualTo(250);
    }

    @Test
    void refusesBareNewlinesSoNoMessageEndsEarly() throws Exception {
        var client = greeted(server());
        client.send("NOOP\n");
        assertThat(client.reply().wire()).isEqualTo("500 5.5.2 Lines must end with CRLF\r\n");
        client.send("NOOP\rRSET\r\n");
        assertThat(client.reply().wire()).isEqualTo("500 5.5.2 Bare CR in command\r\n");
        client.command("MAIL FROM:<a@example.net>");
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        // SMTP smuggling: <LF>.<LF> and <CR>.<CR> are not the end of the message, which is refused whole
        client.send("Subject: smuggle\r\n\r\nhi\n.\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nx\r.\r\n.\r\n");
        assertThat(client.reply().wire()).isEqualTo("554 5.6.0 Message has a bare CR or LF; lines must end with CRLF\r\n");
        assertThat(client.command("RSET").code()).isEqualTo(250);
        assertThat(handler.events).noneMatch(event -> event.contains("evil"));
        assertThat(handler.transactions).isEmpty();
    }

    @Test
    void closesAnIdleConnectionWith421() throws Exception {
        var client = client(server(SmtpServer.Settings.defaults(HOST).withIdleTimeout(Duration.ofMillis(200))));
        client.reply();
        client.command("EHLO client.example");
        long start = System.nanoTime();
        assertThat(client.reply().wire()).isEqualTo("421 4.4.2 " + HOST + " Idle too long, closing connection\r\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void turnsAwayConnectionsOverTheLimit() throws Exception {
        var server = server(SmtpServer.Settings.defaults(HOST).withMaxConnections(1));
        var first = client(server);
        assertThat(first.reply().code()).isEqualTo(220);
        var second = client(server);
        assertThat(second.reply().wire()).isEqualTo("421 4.3.2 " + HOST + " Too many connections, try again later\r\n");
        assertThat(second.closedByServer()).isTrue();
        first.command("QUIT");
        assertThat(first.closedByServer()).isTrue();
        // the slot is freed once the first session has ended on the server side
        for (int attempt = 0; ; attempt++) {
            try (var third = new TestClient(server.port())) {
                if (third.reply().code() == 220 || attempt == 50) {
                    assertThat(attempt).isLessThan(50);
                    break;
                }
            }
            Thread.sleep(20);
        }
    }

    @Test
    void handlerFailuresAreTransientAndA421EndsTheSession() throws Exception {
        var client = greeted(server());
        client.command("MAIL FROM:<a@example.net>");
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        assertThat(client.command("Subject: explode\r\n\r\n.").wire()).isEqualTo("451 4.3.0 Local error, try again later\r\n");
        client.command("MAIL FROM:<a@example.net>");
        assertThat(client.command("RCPT TO:<closing@example.net>").wire()).isEqualTo("421 4.3.0 Going away\r\n");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void servesManyClientsAtOnce() throws Exception {
        var server = server();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                results.add(executor.submit(() -> {
                    try (var client = new TestClient(server.port())) {
                        client.reply();
                        client.send("EHLO c" + n + ".example\r\nMAIL FROM:<s" + n + "@example.net>\r\nRCPT TO:<r" + n + "@example.org>\r\nDATA\r\n");
                        for (int reply = 0; reply < 4; reply++) {
                            client.reply(); // EHLO, MAIL, RCPT, 354
                        }
                        return client.command("Subject: " + n + "\r\n\r\nmessage " + n + "\r\n.").code();
                    }
                }));
            }
            for (var result : results) {
                assertThat(result.get()).isEqualTo(250);
            }
        }
        assertThat(handler.transactions).hasSize(50);
        // no session saw another's bytes
        assertThat(handler.transactions).allSatisfy(t -> {
            var n = t.reversePath().substring(1, t.reversePath().indexOf('@'));
            assertThat(t.helo()).isEqualTo("c" + n + ".example");
            assertThat(t.recipients()).containsExactly("r" + n + "@example.org");
            assertThat(t.message()).asString(StandardCharsets.US_ASCII).isEqualTo("Subject: " + n + "\r\n\r\nmessage " + n + "\r\n");
        });
    }

    @Test
    void closingTheServerEndsItsSessions() throws Exception {
        var server = server();
        var client = greeted(server);
        long start = System.nanoTime();
        server.close();
        assertThat(client.closedByServer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // refused; tried a few times because a connection may, rarely, be given the freed port as its own source port and meet itself
        boolean refused = false;
        for (int attempt = 0; attempt < 3 && !refused; attempt++) {
            try {
                new TestClient(server.port()).close();
            } catch (ConnectException e) {
                refused = true;
            }
        }
        assertThat(refused).isTrue();
    }

    @Test
    void everyReplyButTheGreetingAndEhloCarriesAnEnhancedCode() throws Exception {
        var client = client(server(SmtpServer.Settings.defaults(HOST).withMaxRecipients(1).withMaxMessageBytes(100)));
        client.reply();
        var commands = List.of("MAIL FROM:<a@example.net>", "FOO", "EHLO client.example", "HELO client.example", "EHLO client.example",
                "RCPT TO:<a@example.net>", "DATA", "MAIL FROM:<a@example.net> SIZE=101", "MAIL FROM:<refused@example.net>",
                "MAIL FROM:<a@example.net> X=1", "MAIL FROM:<\u00e9@example.net>", "MAIL FROM:<a@example.net>", "MAIL FROM:<b@example.net>",
                "RCPT TO:<refused@example.net>", "DATA", "RCPT TO:<>", "RCPT TO:<b@example.net>", "RCPT TO:<c@example.net>",
                "VRFY x", "EXPN x", "HELP", "NOOP", "STARTTLS", "AUTH PLAIN", "DATA", "x".repeat(200) + "\r\n.", "RSET", "AUTH PLAIN", "NOOP " + "x".repeat(600), "QUIT");
        for (var command : commands) {
            client.command(command);
        }
        var replies = client.replies;
        assertThat(replies).hasSize(commands.size() + 1);
        for (int i = 0; i < replies.size(); i++) {
            var reply = replies.get(i);
            boolean hello = i > 0 && commands.get(i - 1).matches("(EHLO|HELO) .*") && reply.code() == 250;
            if (i == 0 || hello || reply.code() / 100 == 3) {
                assertThat(reply.enhanced()).as("reply %s", reply).isNull();
            } else {
                assertThat(reply.enhanced()).as("reply to %s: %s", commands.get(i - 1), reply).isNotNull()
                        .startsWith(String.valueOf(reply.code() / 100));
            }
        }
        assertThat(replies).extracting(TestClient.Reply::code).contains(500, 501, 502, 503, 538, 550, 552, 553, 554, 555, 452, 252, 214, 221);
    }
}
