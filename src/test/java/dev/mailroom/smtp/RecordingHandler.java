package dev.mailroom.smtp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;

/**
 * A handler factory that records what the server asked: every event as a line of text, every
 * transaction whole. alice/secret logs in; senders and recipients starting "refused" are refused, a
 * recipient starting "closing" gets 421; the user "explode" or a message containing "explode" makes
 * the handler throw.
 */
public final class RecordingHandler implements SubmissionHandler.Factory {
    final List<String> events = new CopyOnWriteArrayList<>();
    public final List<SubmissionHandler.Transaction> transactions = new CopyOnWriteArrayList<>();
    /** Whether MAIL FROM needs a login first, as for a client outside the trusted networks. */
    volatile boolean requireAuth;

    @Override
    public SubmissionHandler open(InetSocketAddress remote, SSLSession tls) {
        events.add("open " + (tls == null ? "plain" : tls.getProtocol()));
        return new SubmissionHandler() {
            private boolean loggedIn;

            @Override
            public boolean authenticate(String username, String password) {
                if (username.equals("explode")) {
                    throw new IllegalStateException("the credential store is down");
                }
                loggedIn = username.equals("alice") && password.equals("secret");
                events.add("auth " + username + " " + password + " " + loggedIn);
                return loggedIn;
            }

            @Override
            public SmtpReply mailFrom(String reversePath) {
                events.add("mail <" + reversePath + ">");
                if (requireAuth && !loggedIn) {
                    return SmtpReply.authenticationRequired();
                }
                return reversePath.startsWith("refused") ? SmtpReply.of(550, "5.7.1", "Sender refused") : SmtpReply.senderOk();
            }

            @Override
            public SmtpReply rcptTo(String forwardPath) {
                events.add("rcpt <" + forwardPath + ">");
                if (forwardPath.startsWith("closing")) {
                    return SmtpReply.of(421, "4.3.0", "Going away");
                }
                return forwardPath.startsWith("refused") ? SmtpReply.of(550, "5.1.1", "No such user") : SmtpReply.recipientOk();
            }

            @Override
            public SmtpReply data(SubmissionHandler.Transaction transaction) {
                if (new String(transaction.message(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("explode")) {
                    throw new IllegalStateException("the spool is on fire");
                }
                transactions.add(transaction);
                return SmtpReply.ok("Queued as " + transactions.size());
            }
        };
    }
}
