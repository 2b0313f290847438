package dev.mailroom.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers DNS queries for the zones Mailroom controls, over UDP and TCP: authoritative
 * answers (AA), CNAMEs followed within the zone, NXDOMAIN or NODATA with the SOA in the
 * authority section, REFUSED for names in no zone of ours, and a truncated (TC) UDP answer
 * when it does not fit, so the client asks again over TCP.
 */
public final class AuthoritativeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthoritativeServer.class);
    /** Without EDNS a UDP answer must fit in 512 bytes (RFC 1035). */
    static final int CLASSIC_UDP = 512;
    /** The EDNS buffer size advertised, the 2020 DNS flag day's safe value. */
    static final int EDNS_UDP = 1232;
    private static final int MAX_CNAME_CHAIN = 8;
    private final ZoneSource zones;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();

    /** How often a free port (port 0) is tried for UDP and TCP together before giving up. */
    private static final int FREE_PORT_ATTEMPTS = 20;

    public AuthoritativeServer(ZoneSource zones, InetSocketAddress listen) throws IOException {
        this.zones = zones;
        DatagramSocket boundUdp = null;
        ServerSocket boundTcp = null;
        for (int attempt = 1; boundTcp == null; attempt++) {
            boundUdp = new DatagramSocket(listen);
            try {
                // UDP and TCP on the same port, as resolvers expect
                boundTcp = new ServerSocket(boundUdp.getLocalPort(), 50, listen.getAddress());
            } catch (IOException e) {
                boundUdp.close();
                // a free UDP port may be taken for TCP (an outgoing connection's local port): try another
                if (listen.getPort() != 0 || attempt == FREE_PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
        this.udp = boundUdp;
        this.tcp = boundTcp;
    }

    public AuthoritativeServer start() {
        threads.add(Thread.ofVirtual().name("dns-udp").start(this::serveUdp));
        threads.add(Thread.ofVirtual().name("dns-tcp").start(this::serveTcp));
        return this;
    }

    public int port() {
        return udp.getLocalPort();
    }

    private void serveUdp() {
        var buffer = new byte[65535];
        while (!udp.isClosed()) {
            var packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                var query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                var response = answer(query, true);
                if (response != null) {
                    udp.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!udp.isClosed()) {
                    LOG.warn("DNS over UDP: {}", e.toString());
                }
            } catch (RuntimeException e) {
                // one bad query (or the zones failing to load) must not stop the server
                LOG.error("DNS over UDP: answering failed", e);
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                var socket = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(socket));
            } catch (IOException e) {
                if (!tcp.isClosed()) {
                    LOG.warn("DNS over TCP: {}", e.toString());
                }
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket; var in = new DataInputStream(socket.getInputStream()); var out = new DataOutputStream(socket.getOutputStream())) {
            socket.setSoTimeout(10_000);
            while (true) {
                var query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                var response = answer(query, false);
                if (response == null) {
                    return;
                }
                out.writeShort(response.length);
                out.write(response);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection or went quiet: nothing to do
        } catch (RuntimeException e) {
            LOG.error("DNS over TCP: answering failed", e);
        }
    }

    /** The wire answer to a wire query, or null for a message not worth answering. */
    byte[] answer(byte[] wire, boolean overUdp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null; // a response, not a query
        }
        var response = respond(query);
        int limit = overUdp ? (query.getOPT() != null ? Math.min(EDNS_UDP, Math.max(CLASSIC_UDP, query.getOPT().getPayloadSize())) : CLASSIC_UDP) : 65535;
        return response.toWire(limit);
    }

    private Message respond(Message query) {
        var response = new Message(query.getHeader().getID());
        var header = response.getHeader();
        header.setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_UDP, 0, 0), Section.ADDITIONAL);
        }
        var question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY || question == null) {
            header.setRcode(query.getHeader().getOpcode() != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        var zone = zoneFor(question.getName());
        if (zone == null) {
            header.setRcode(Rcode.REFUSED);
            return response;
        }
        header.setFlag(Flags.AA);
        answerFrom(zone, question.getName(), question.getType(), response, header);
        return response;
    }

    private void answerFrom(Zone zone, Name name, int type, Message response, Header header) {
        var current = name;
        for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
            var records = zone.recordsAt(current);
            var cname = records.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
            if (cname.isPresent() && type != Type.CNAME && type != Type.ANY) {
                response.addRecord(cname.get(), Section.ANSWER);
                current = ((CNAMERecord) cname.get()).getTarget();
                if (!current.subdomain(zone.origin())) {
                    return; // the target lives elsewhere: the resolver follows it
                }
                continue;
            }
            var matching = records.stream().filter(r -> type == Type.ANY || r.getType() == type).toList();
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return;
            }
            // nothing of that type: NXDOMAIN if the (last) name does not exist, else NODATA; the SOA tells how long to cache that
            if (!zone.exists(current)) {
                header.setRcode(Rcode.NXDOMAIN);
            }
            response.addRecord(zone.soa(), Section.AUTHORITY);
            return;
        }
    }

    private Zone zoneFor(Name name) {
        Zone best = null;
        for (var zone : zones.zones()) {
            if (name.subdomain(zone.origin()) && (best == null || zone.origin().labels() > best.origin().labels())) {
                best = zone;
            }
        }
        return best;
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debug("closing the DNS TCP socket", e);
        }
        threads.forEach(Thread::interrupt);
    }
}
