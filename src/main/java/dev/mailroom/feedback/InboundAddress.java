package dev.mailroom.feedback;

import java.util.OptionalInt;

/** An address the inbound MX takes mail for, and what mail to it is. Every other address is refused at RCPT. */
public sealed interface InboundAddress {
    /** A VERP return path: bounces (and complaints sent back to the return path) about one recipient of one message. */
    record ReturnPath(String messageId, int recipientIndex) implements InboundAddress {}

    /** The mailto unsubscribe address of a message (List-Unsubscribe); the recipient is known when the token names it. */
    record Unsubscribe(String messageId, OptionalInt recipientIndex) implements InboundAddress {}

    /** {@code fbl@<platform_domain>}: feedback-loop reports (ARF) from mailbox providers. */
    record FeedbackLoop() implements InboundAddress {}

    /** {@code dmarc+<domain token>@<platform_domain>}: DMARC aggregate reports for one domain. */
    record DmarcReports(String domainToken) implements InboundAddress {}
}
