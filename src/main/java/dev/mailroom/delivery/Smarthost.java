package dev.mailroom.delivery;

/**
 * A relay that takes all of a pool's mail instead of the recipients' MX hosts: the agency's ESP
 * account for overflow, or a client's own relay. {@code host} is a host name or an IP address;
 * {@code username} and {@code password} are both null when the relay needs no AUTH. The password
 * is in clear here, for the SMTP client; it is sealed at rest and the API never shows it.
 */
public record Smarthost(String host, int port, Tls tls, String username, String password) {
    public static final int DEFAULT_PORT = 587;

    /** STARTTLS after connecting (submission, port 587), TLS from the first byte (port 465), or none. */
    public enum Tls {
        STARTTLS,
        TLS,
        NONE
    }

    /** Without the password, so that a log line never carries it. */
    @Override
    public String toString() {
        return "Smarthost[" + host + ":" + port + ", tls=" + tls + ", username=" + username + ", password="
                + (password == null ? "none" : "(hidden)") + "]";
    }
}
