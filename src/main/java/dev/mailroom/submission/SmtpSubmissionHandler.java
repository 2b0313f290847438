package dev.mailroom.submission;

import dev.mailroom.smtp.SmtpReply;
import dev.mailroom.smtp.SubmissionHandler;
import dev.mailroom.tenancy.SmtpCredential;
import dev.mailroom.tenancy.SmtpCredentialService;
import java.net.InetSocketAddress;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy side of one SMTP submission connection: who the client is (an SMTP credential
 * after AUTH, or a network credential covering its address) and what becomes of its messages,
 * which take the same path as the send API's from here on ({@link Submission#submitRaw}).
 */
public final class SmtpSubmissionHandler implements SubmissionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSubmissionHandler.class);
    private final Submission submission;
    private final SmtpCredentialService credentials;
    private final InetSocketAddress remote;
    private final String hostname;
    private final boolean tls;
    private SmtpCredential credential;
    private boolean authenticated;

    private SmtpSubmissionHandler(Submission submission, SmtpCredentialService credentials, InetSocketAddress remote, String hostname,
            boolean tls) {
        this.submission = submission;
        this.credentials = credentials;
        this.remote = remote;
        this.hostname = hostname;
        this.tls = tls;
    }

    /** @param hostname this server's name, for Received fields */
    public static SubmissionHandler.Factory factory(Submission submission, SmtpCredentialService credentials, String hostname) {
        return (remote, tls) -> new SmtpSubmissionHandler(submission, credentials, remote, hostname, tls != null);
    }

    @Override
    public boolean authenticate(String username, String password) {
        var found = credentials.authenticate(username, password);
        if (found.isEmpty()) {
            LOG.info("SMTP AUTH failed for '{}' from {}", username, remote.getAddress().getHostAddress());
            return false;
        }
        credential = found.get();
        authenticated = true;
        return true;
    }

    @Override
    public SmtpReply mailFrom(String reversePath) {
        if (credential == null) {
            credential = credentials.forAddress(remote.getAddress()).orElse(null);
        }
        return credential == null ? SmtpReply.authenticationRequired() : SmtpReply.senderOk();
    }

    @Override
    public SmtpReply rcptTo(String forwardPath) {
        return SmtpReply.recipientOk();
    }

    @Override
    public SmtpReply data(Transaction transaction) {
        var sender = new Sender(credential.tenantId(), credential.domainIds() == null ? null : Set.copyOf(credential.domainIds()), "smtp");
        try {
            var protocol = "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
            var trace = new Submission.Trace(transaction.helo(), remote.getAddress().getHostAddress(), hostname, protocol);
            var receipt = submission.submitRaw(sender, transaction.recipients(), transaction.message(), trace);
            return SmtpReply.ok("queued as " + receipt.id());
        } catch (SubmissionRefused e) {
            return reply(e);
        }
    }

    /** A refusal in SMTP terms (RFC 3463 enhanced codes); see {@link SubmissionRefused.Kind}. */
    static SmtpReply reply(SubmissionRefused e) {
        return switch (e.kind()) {
            case SENDER_NOT_ALLOWED, DOMAIN_NOT_VERIFIED, IDENTITY_NOT_CONFIRMED, TENANT_NOT_SENDING -> SmtpReply.of(550, "5.7.1", e.getMessage());
            case MALFORMED -> SmtpReply.of(550, "5.6.0", e.getMessage());
            case TOO_LARGE -> SmtpReply.of(552, "5.3.4", e.getMessage());
            case BUSY -> SmtpReply.of(451, "4.3.2", e.getMessage());
            case CAP_REACHED -> SmtpReply.of(452, "4.7.0", e.getMessage() + " (retry after "
                    + DateTimeFormatter.ISO_INSTANT.format(e.retryAt()) + ")");
        };
    }
}
