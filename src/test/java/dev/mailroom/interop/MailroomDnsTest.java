package dev.mailroom.interop;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.dns.CachingResolver;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.Kdig;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/** Mailroom's authoritative DNS: the platform zone and a delegated zone as kdig sees them, and a client's CNAME resolved through it. */
class MailroomDnsTest {
    @TempDir
    Path dir;

    private static Map<String, String> dnsOn() {
        return Map.of("MAILROOM_DNS_AUTHORITATIVE_LISTEN", "127.0.0.1:0", "MAILROOM_DNS_AUTHORITATIVE_ADDRESSES", "192.0.2.25,2001:db8::25");
    }

    @Test
    void servesThePlatformZoneAndDelegatedSubdomains() throws Exception {
        try (var server = TestServer.start(Files.createDirectories(dir.resolve("data")), null, dnsOn())) {
            int port = server.mailroom().dnsPort();
            var tenant = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
            var cname = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"news.clienta.example\",\"stream\":\"marketing\"}").json();
            var delegated = server.post("/v1/domains", ADMIN_KEY,
                    "{\"tenant_id\":\"" + tenant + "\",\"name\":\"notify.clienta.example\",\"setup\":\"delegate\",\"stream\":\"notifications\"}").json();

            var target = record(cname, "dkim", true).path("value").asText();
            assertThat(Kdig.ask(port, target, "TXT")).containsPattern("Flags: qr aa;").contains("v=DKIM1; k=rsa; p=MIIBIjAN");
            assertThat(Kdig.ask(port, "rp.mailroom.localhost", "MX")).contains("10 mx.mailroom.localhost.");
            assertThat(Kdig.ask(port, "rp.mailroom.localhost", "TXT")).contains("v=spf1 ip4:192.0.2.25 ip6:2001:db8::25 -all");
            // a pool's source address is an allowed sender of every return path as soon as it is added
            var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"outbound\",\"tier\":\"standard\"}").text("id");
            server.post("/v1/pools/" + pool + "/ips", ADMIN_KEY, "{\"address\":\"198.51.100.7\",\"hostname\":\"o1.mailroom.localhost\"}");
            assertThat(Kdig.ask(port, "rp.mailroom.localhost", "TXT")).contains("v=spf1 ip4:192.0.2.25 ip6:2001:db8::25 ip4:198.51.100.7 -all");
            assertThat(Kdig.ask(port, "mx.mailroom.localhost", "AAAA")).contains("2001:db8::25");
            assertThat(Kdig.ask(port, "news.clienta.example._report._dmarc.mailroom.localhost", "TXT")).contains("\"v=DMARC1\"");
            assertThat(Kdig.ask(port, "unknown.example._report._dmarc.mailroom.localhost", "TXT")).contains("status: NXDOMAIN");

            assertThat(Kdig.ask(port, "notify.clienta.example", "SOA")).containsPattern("Flags: qr aa;").contains("ns.mailroom.localhost.");
            assertThat(Kdig.ask(port, "notify.clienta.example", "NS")).contains("ns.mailroom.localhost.");
            assertThat(Kdig.ask(port, "notify.clienta.example", "TXT")).contains("v=spf1 include:rp.mailroom.localhost -all");
            assertThat(Kdig.ask(port, "notify.clienta.example", "MX")).contains("10 mx.mailroom.localhost.");
            assertThat(Kdig.ask(port, "_dmarc.notify.clienta.example", "TXT")).contains("rua=mailto:dmarc+");
            assertThat(Kdig.ask(port, "rp.notify.clienta.example", "MX")).contains("10 mx.mailroom.localhost.");
            assertThat(Kdig.ask(port, "t.notify.clienta.example", "CNAME")).contains("track.mailroom.localhost.");
            assertThat(delegated.path("records")).hasSize(1); // the NS record: Mailroom serves the rest
            assertThat(Kdig.ask(port, "nt1r._domainkey.notify.clienta.example", "TXT")).contains("v=DKIM1; k=rsa");
            assertThat(Kdig.ask(port, "nt1e._domainkey.notify.clienta.example", "TXT")).contains("v=DKIM1; k=ed25519");
            assertThat(Kdig.ask(port, "nt2r._domainkey.notify.clienta.example", "TXT")).as("no key in the standby slot yet").contains("status: NXDOMAIN");

            // deleting a domain takes its records out at once
            server.send("DELETE", "/v1/domains/" + cname.path("id").asText(), ADMIN_KEY, null);
            assertThat(Kdig.ask(port, target, "TXT")).contains("status: NXDOMAIN");
        }
    }

    @Test
    void aClientsCnameResolvesThroughMailroomsDnsToTheKey() throws Exception {
        try (var server = TestServer.start(Files.createDirectories(dir.resolve("data")), null, dnsOn())) {
            var tenant = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
            var domain = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"news.clienta.example\"}").json();
            var dkim = record(domain, "dkim", true);
            try (var knot = KnotServer.start(Files.createDirectories(dir.resolve("knot")), "clienta.example",
                    List.of(asRecord(dkim).zoneLine()))) {
                var resolver = CachingResolver.using(new ZoneRouter(
                        new InetSocketAddress("127.0.0.1", server.mailroom().dnsPort()), knot.address()));
                var key = resolver.txt(dkim.path("name").asText()).valuesOrEmpty();
                assertThat(key).singleElement().asString().startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
            }
        }
    }

    private static JsonNode record(JsonNode domain, String purpose, boolean required) {
        for (var record : domain.path("records")) {
            if (record.path("purpose").asText().equals(purpose) && record.path("required").asBoolean() == required) {
                return record;
            }
        }
        throw new AssertionError("no " + purpose + " record");
    }

    private static DnsRecord asRecord(JsonNode node) {
        return new DnsRecord(RecordPurpose.valueOf(node.path("purpose").asText().toUpperCase(Locale.ROOT)), node.path("type").asText(),
                node.path("name").asText(), node.path("value").asText(), true, RecordStatus.PENDING, "");
    }

    /** Sends questions about mailroom.localhost to Mailroom's server and the rest to the client's (as recursion would find them). */
    private record ZoneRouter(InetSocketAddress mailroom, InetSocketAddress client) implements Resolver {
        @Override
        public Message send(Message query) throws IOException {
            var platform = Name.fromConstantString("mailroom.localhost.");
            var server = query.getQuestion().getName().subdomain(platform) ? mailroom : client;
            var resolver = new SimpleResolver(server);
            resolver.setTimeout(Duration.ofSeconds(2));
            return resolver.send(query);
        }

        @Override
        public java.util.concurrent.CompletionStage<Message> sendAsync(Message query) {
            try {
                return java.util.concurrent.CompletableFuture.completedFuture(send(query));
            } catch (IOException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public void setPort(int port) {}

        @Override
        public void setTCP(boolean flag) {}

        @Override
        public void setIgnoreTruncation(boolean flag) {}

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<org.xbill.DNS.EDNSOption> options) {}

        @Override
        public void setTSIGKey(org.xbill.DNS.TSIG key) {}

        @Override
        public void setTimeout(Duration timeout) {}
    }
}
