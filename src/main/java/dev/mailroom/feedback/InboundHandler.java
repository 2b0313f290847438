package dev.mailroom.feedback;

import dev.mailroom.smtp.SmtpReply;
import dev.mailroom.smtp.SubmissionHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the inbound MX: recipients are accepted only when they are Mailroom's own
 * addresses (so nothing is ever relayed and no bounce of ours bounces back to a stranger), and a
 * message is answered 250 only once what it reports is recorded; a failure answers 451 so the
 * sender tries again. Nobody logs in here.
 */
public final class InboundHandler implements SubmissionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);
    private final InboundAddresses addresses;
    private final InboundMail mail;
    /** One of each: the same return path at several rp. domains is still one recipient. */
    private final java.util.Set<InboundAddress> recipients = new java.util.LinkedHashSet<>();

    /** What to do with mail to each kind of address. */
    public interface InboundMail {
        void returnPath(InboundAddress.ReturnPath to, String reversePath, byte[] message);

        void feedbackLoop(byte[] message);

        /** Empty: accepted; otherwise why the address takes no mail (e.g. nothing handles it yet). */
        java.util.Optional<String> refuses(InboundAddress address);

        void other(InboundAddress address, byte[] message);
    }

    private InboundHandler(InboundAddresses addresses, InboundMail mail) {
        this.addresses = addresses;
        this.mail = mail;
    }

    public static SubmissionHandler.Factory factory(InboundAddresses addresses, InboundMail mail) {
        return (InetSocketAddress remote, SSLSession tls) -> new InboundHandler(addresses, mail);
    }

    @Override
    public boolean authenticate(String username, String password) {
        return false;
    }

    @Override
    public SmtpReply mailFrom(String reversePath) {
        recipients.clear();
        return SmtpReply.senderOk();
    }

    @Override
    public SmtpReply rcptTo(String forwardPath) {
        var address = addresses.classify(forwardPath);
        if (address.isEmpty()) {
            return SmtpReply.of(550, "5.1.1", "No such mailbox here");
        }
        var refusal = mail.refuses(address.get());
        if (refusal.isPresent()) {
            return SmtpReply.of(550, "5.1.1", refusal.get());
        }
        recipients.add(address.get());
        return SmtpReply.recipientOk();
    }

    @Override
    public SmtpReply data(Transaction transaction) {
        try {
            for (var address : recipients) {
                switch (address) {
                    case InboundAddress.ReturnPath returnPath -> mail.returnPath(returnPath, transaction.reversePath(), transaction.message());
                    case InboundAddress.FeedbackLoop loop -> mail.feedbackLoop(transaction.message());
                    default -> mail.other(address, transaction.message());
                }
            }
            return SmtpReply.of(250, "2.0.0", "Thank you");
        } catch (InboundRefusal e) {
            return SmtpReply.of(550, "5.7.1", e.getMessage().replaceAll("[\\r\\n]+", " "));
        } catch (RuntimeException e) {
            LOG.warn("inbound mail ({}) could not be recorded; the sender is asked to try again", transaction, e);
            return SmtpReply.of(451, "4.3.0", "Cannot record this now, try again later");
        } finally {
            recipients.clear();
        }
    }
}
