package dev.mailroom.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of TLS between MTAs: encryption without authentication. Receiving MTAs present
 * self-signed, expired and misnamed certificates every day, and an MX host name is not something a
 * certificate could be checked against without DANE or MTA-STS; refusing them would only push the
 * mail back to clear text (RFC 7435). So every certificate is accepted: an {@link
 * X509ExtendedTrustManager}, because the JDK wraps a plain one in checks of its own.
 */
final class ClientTls {
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** A DNS name with at least one dot and one letter: what SNI may carry (RFC 6066 §3), unlike an address literal. */
    private static final Pattern HOST_NAME = Pattern.compile("(?=.*[A-Za-z])" + LABEL + "(?:\\." + LABEL + ")+");
    /** One context for every connection, so its session cache lets the next connection to a host resume. */
    private static final SSLContext CONTEXT = context();

    private ClientTls() {
    }

    private static SSLContext context() {
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }

    /**
     * Starts TLS over {@code tcp} and completes the handshake; SNI names {@code serverName} when it
     * is a host name. The caller sets the read timeout of the handshake on {@code tcp} first.
     */
    static SSLSocket handshake(Socket tcp, String serverName) throws IOException {
        var remote = (InetSocketAddress) tcp.getRemoteSocketAddress();
        var name = serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
        var sni = HOST_NAME.matcher(name).matches();
        var socket = (SSLSocket) CONTEXT.getSocketFactory().createSocket(tcp, sni ? name : remote.getAddress().getHostAddress(), remote.getPort(), true);
        var parameters = socket.getSSLParameters();
        parameters.setServerNames(sni ? List.of(new SNIHostName(name)) : List.of());
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client context checks no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("a client context checks no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("a client context checks no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
