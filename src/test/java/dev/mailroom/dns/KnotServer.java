package dev.mailroom.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's knotd serving one zone from a file on 127.0.0.1 and a free port: the independent
 * DNS server tests publish records in. {@link #publish} rewrites the zone and reloads it.
 */
public final class KnotServer implements AutoCloseable {
    static final Path KNOTD = Path.of("/usr/sbin/knotd");
    static final Path KNOTC = Path.of("/usr/sbin/knotc");
    private final Path dir;
    private final String zone;
    private final int port;
    private final Process process;
    private int serial = 1;

    private KnotServer(Path dir, String zone, int port, Process process) {
        this.dir = dir;
        this.zone = zone;
        this.port = port;
        this.process = process;
    }

    /** Starts knotd for {@code zone} with {@code records} (zone-file lines, SOA and NS added here). */
    public static KnotServer start(Path dir, String zone, List<String> records) throws Exception {
        return start(dir, zone, records, 0);
    }

    /** As above, on {@code port} (0: a free one). */
    public static KnotServer start(Path dir, String zone, List<String> records, int port) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(KNOTD) && Files.isExecutable(KNOTC),
                "skipped: knotd is not installed (apt-get install knot); .ci/run installs it");
        port = port == 0 ? freePort() : port;
        Files.writeString(dir.resolve("knot.conf"), """
                server:
                    listen: 127.0.0.1@%d
                    rundir: %s
                control:
                    listen: %s/knot.sock
                database:
                    storage: %s
                log:
                  - target: stderr
                    any: warning
                zone:
                  - domain: %s
                    storage: %s
                    file: zone.txt
                    zonefile-sync: -1
                    zonefile-load: whole
                    journal-content: none
                """.formatted(port, dir, dir, dir, zone, dir));
        var server = new KnotServer(dir, zone, port, null);
        server.writeZone(records);
        var process = new ProcessBuilder(KNOTD.toString(), "-c", dir.resolve("knot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
        var started = new KnotServer(dir, zone, port, process);
        started.serial = server.serial;
        started.awaitSerial();
        return started;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Replaces the zone's records and waits until knotd serves them. */
    public void publish(List<String> records) throws Exception {
        serial++;
        writeZone(records);
        var reload = new ProcessBuilder(KNOTC.toString(), "-c", dir.resolve("knot.conf").toString(), "zone-reload", zone)
                .redirectErrorStream(true).start();
        if (!reload.waitFor(20, TimeUnit.SECONDS) || reload.exitValue() != 0) {
            throw new IllegalStateException("knotc zone-reload failed: " + new String(reload.getInputStream().readAllBytes()));
        }
        awaitSerial();
    }

    private void writeZone(List<String> records) throws IOException {
        var text = new StringBuilder("$ORIGIN " + zone + ".\n$TTL 60\n");
        text.append("@ IN SOA ns.").append(zone).append(". hostmaster.").append(zone).append(". ")
                .append(serial).append(" 3600 600 86400 60\n");
        text.append("@ IN NS ns.").append(zone).append(".\nns IN A 127.0.0.1\n");
        records.forEach(line -> text.append(line).append('\n'));
        Files.writeString(dir.resolve("zone.txt"), text);
    }

    /** Polls the SOA serial (uncached) until the expected one is served. */
    private void awaitSerial() throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("knotd exited: " + Files.readString(dir.resolve("knotd.log")));
            }
            try {
                if (servedSerial() == serial) {
                    return;
                }
            } catch (IOException notYetListening) {
                // knotd is still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("knotd did not serve serial " + serial + ": " + Files.readString(dir.resolve("knotd.log")));
    }

    private long servedSerial() throws Exception {
        var query = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString(zone + "."), org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
        var resolver = new org.xbill.DNS.SimpleResolver(address());
        resolver.setTimeout(Duration.ofMillis(300));
        var response = resolver.send(query);
        for (var record : response.getSection(org.xbill.DNS.Section.ANSWER)) {
            if (record instanceof org.xbill.DNS.SOARecord soa) {
                return soa.getSerial();
            }
        }
        return -1;
    }

    /** A port free for both UDP and TCP; another port when the UDP one is taken for TCP (tests run side by side). */
    private static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (var socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
                    var tcp = new java.net.ServerSocket(socket.getLocalPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (java.net.BindException taken) {
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
