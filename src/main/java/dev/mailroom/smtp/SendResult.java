package dev.mailroom.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server said to one transaction of {@link SmtpClient#send}, every reply kept. The replies
 * a recipient's fate depends on are chosen by {@link #replyFor}.
 *
 * @param recipients the recipients, in the order given
 * @param mail the reply to MAIL FROM; a local 553 5.6.7 (never sent) when the reverse path needs
 *     SMTPUTF8 and the server lacks it; null when nothing was sent because every recipient was
 *     refused locally
 * @param rcpt when MAIL was accepted, or not sent, one reply per recipient, in order: the reply to its
 *     RCPT TO; a local 553 5.6.7 (never sent) for an address that needs SMTPUTF8 the server lacks;
 *     the 421 that closed the session before the server answered it. Empty when MAIL failed.
 * @param data the reply that ended the transaction: the refusal of DATA, the reply after the
 *     message, or the 421 that closed the session first; null when MAIL failed or no recipient was
 *     accepted (nothing was sent)
 */
public record SendResult(List<String> recipients, SmtpReply mail, List<SmtpReply> rcpt, SmtpReply data) {
    public SendResult {
        recipients = List.copyOf(recipients);
        rcpt = List.copyOf(rcpt);
    }

    /**
     * The reply that decides recipient {@code index}: the MAIL reply if MAIL failed, its RCPT reply if
     * that failed, else the DATA reply (2xx: delivered).
     */
    public SmtpReply replyFor(int index) {
        if (mail != null && !mail.positive()) {
            return mail;
        }
        var reply = rcpt.get(index);
        return reply.positive() ? data : reply;
    }

    /** {@link #replyFor} of every recipient, in order. */
    public List<SmtpReply> replies() {
        var replies = new ArrayList<SmtpReply>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            replies.add(replyFor(i));
        }
        return replies;
    }
}
