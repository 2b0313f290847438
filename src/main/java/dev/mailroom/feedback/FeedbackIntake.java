package dev.mailroom.feedback;

import dev.mailroom.events.EventLog;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.feedback.dmarc.Ingested;
import dev.mailroom.message.Verp;
import dev.mailroom.tenancy.Scope;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what comes back into facts about recipients: a hard bounce marks the recipient bounced
 * and suppresses it for its tenant at once, a soft one is recorded; a complaint marks it
 * complained and suppresses it. Each writes its event ({@code message.bounced} with
 * {@code source: dsn}, {@code message.complained}). Mail that is neither is dropped quietly.
 */
public final class FeedbackIntake implements InboundHandler.InboundMail {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackIntake.class);
    private final MessageIndex index;
    private final SuppressionList suppressions;
    private final Verp verp;
    private final Clock clock;
    private final java.util.function.Consumer<InboundAddress.Unsubscribe> unsubscribe;
    private final DmarcReports dmarcReports;
    private final BounceSuppression bounceSuppression;
    /** A DMARC report part is read up to just past what DmarcReports takes, so an oversized one is refused, not cut. */
    private static final int MAX_REPORT_PART = 10 * 1024 * 1024 + 1;

    /** @param unsubscribe what mail to an unsubscribe address does (the same as the one-click link) */
    public FeedbackIntake(MessageIndex index, SuppressionList suppressions, Verp verp, java.util.function.Consumer<InboundAddress.Unsubscribe> unsubscribe,
            DmarcReports dmarcReports, BounceSuppression bounceSuppression, Clock clock) {
        this.unsubscribe = unsubscribe;
        this.dmarcReports = dmarcReports;
        this.bounceSuppression = bounceSuppression;
        this.index = index;
        this.suppressions = suppressions;
        this.verp = verp;
        this.clock = clock;
    }

    @Override
    public Optional<String> refuses(InboundAddress address) {
        return switch (address) {
            case InboundAddress.ReturnPath returnPath -> Optional.empty();
            case InboundAddress.FeedbackLoop loop -> Optional.empty();
            case InboundAddress.DmarcReports reports -> dmarcReports.knowsToken(reports.domainToken()) ? Optional.empty()
                    : Optional.of("No such report address");
            case InboundAddress.Unsubscribe unsubscribe -> Optional.empty();
        };
    }

    @Override
    public void other(InboundAddress address, byte[] message) {
        if (address instanceof InboundAddress.Unsubscribe request) {
            unsubscribe.accept(request); // whatever the message says: sending to the address is the request (RFC 2369)
            return;
        }
        if (address instanceof InboundAddress.DmarcReports reports) {
            report(reports.domainToken(), message);
            return;
        }
        throw new IllegalStateException(address + " was refused at RCPT and cannot have mail");
    }

    /**
     * Mail to a return path: a bounce of that recipient, or a complaint a provider sent back to the
     * return path. Auto-replies go to return paths too (RFC 3834): a message that is no DSN counts
     * as a bounce only when it comes from the null sender or a mailer daemon, and never when it
     * says it is an auto-reply. A message that cannot be read is dropped (logged), not retried.
     */
    @Override
    public void returnPath(InboundAddress.ReturnPath to, String reversePath, byte[] message) {
        var parts = readable(message);
        if (parts.isEmpty()) {
            return;
        }
        var complaint = ComplaintReport.read(parts.get());
        if (complaint.isPresent()) {
            complain(to.messageId(), to.recipientIndex(), complaint.get());
            return;
        }
        if (!parts.get().isReport("delivery-status") && !fromMailerDaemon(reversePath, parts.get())) {
            LOG.info("mail to the return path of {} #{} is no bounce (an auto-reply or a person); dropped", to.messageId(), to.recipientIndex());
            return;
        }
        readBounce(parts.get()).ifPresentOrElse(bounce -> bounce(to.messageId(), to.recipientIndex(), bounce),
                () -> LOG.info("mail to the return path of {} #{} is neither a bounce nor a complaint; dropped", to.messageId(), to.recipientIndex()));
    }

    /** A feedback-loop report sent to fbl@: only a report quoting our signed return path names a recipient (anyone can write to fbl@). */
    @Override
    public void feedbackLoop(byte[] message) {
        var complaint = readable(message).flatMap(ComplaintReport::read);
        if (complaint.isEmpty()) {
            LOG.info("mail to the feedback-loop address is not an ARF report; dropped");
            return;
        }
        var report = complaint.get();
        Optional.ofNullable(report.returnPath()).flatMap(verp::decode).ifPresentOrElse(t -> complain(t.messageId(), t.recipientIndex(), report),
                () -> LOG.info("an ARF report quotes no return path of ours ({}); dropped", report.returnPath()));
    }

    private static Optional<ReportParts> readable(byte[] message) {
        try {
            return Optional.of(ReportParts.parse(message));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.info("inbound mail cannot be read as a message; dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<BounceReport> readBounce(ReportParts parts) {
        try {
            return BounceReport.read(parts);
        } catch (RuntimeException e) {
            LOG.info("a bounce cannot be read; dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean fromMailerDaemon(String reversePath, ReportParts parts) {
        if (parts.header("Auto-Submitted").filter(value -> value.toLowerCase(java.util.Locale.ROOT).startsWith("auto-replied")).isPresent()) {
            return false;
        }
        var from = parts.header("From").orElse("").toLowerCase(java.util.Locale.ROOT);
        return reversePath.isEmpty() || from.contains("mailer-daemon") || from.contains("postmaster");
    }

    /** A DMARC aggregate report: the first part that is one is stored; a message with none is refused with the reason. */
    private void report(String domainToken, byte[] message) {
        String refusal = "the message holds no aggregate report";
        for (var part : ReportParts.parse(message).leaves(MAX_REPORT_PART)) {
            if (part.mimeType().startsWith("text/plain") || part.mimeType().startsWith("text/html")) {
                continue; // the reporter's words for people
            }
            switch (dmarcReports.ingest(domainToken, part.content(), part.mimeType(), part.filename())) {
                case Ingested.Stored stored -> {
                    return;
                }
                case Ingested.Duplicate duplicate -> {
                    return;
                }
                case Ingested.Refused refused -> refusal = refused.detail();
            }
        }
        throw new InboundRefusal("DMARC report refused: " + refusal);
    }

    void bounce(String messageId, int recipientIndex, BounceReport bounce) {
        var recipient = index.recipient(messageId, recipientIndex);
        if (recipient.isEmpty()) {
            LOG.info("a bounce names {} #{}, which is not (or no longer) known; dropped", messageId, recipientIndex);
            return;
        }
        var who = recipient.get();
        // a DSN about another address (forwarded, a list expanded) says nothing certain about ours
        boolean aboutOurs = bounce.recipient() == null || bounce.recipient().equalsIgnoreCase(who.email());
        boolean hard = bounce.hard() && aboutOurs;
        var data = new LinkedHashMap<String, Object>();
        data.put("message_id", messageId);
        data.put("email", who.email());
        data.put("domain_id", who.domainId());
        data.put("bounce_type", hard ? "hard" : "soft");
        if (!aboutOurs) {
            data.put("reported_recipient", bounce.recipient());
        }
        data.put("category", bounce.category().code());
        data.put("response", bounce.response());
        data.put("remote_mta", bounce.remoteMta());
        data.put("source", "dsn");
        var event = new EventLog.NewEvent(who.tenantId(), "message.bounced", messageId, data);
        // a soft bounce after delivery (a delay warning) leaves the recipient's status as it is
        var eventId = index.recordFeedback(messageId, recipientIndex, hard ? RecipientStatus.BOUNCED : null, bounce.response(), event, clock.instant());
        if (aboutOurs) {
            bounceSuppression.bounced(who.tenantId(), who.email(), messageId, hard, bounce.category(), eventId);
        }
    }

    void complain(String messageId, int recipientIndex, ComplaintReport complaint) {
        var recipient = index.recipient(messageId, recipientIndex);
        if (recipient.isEmpty()) {
            LOG.info("a complaint names {} #{}, which is not (or no longer) known; dropped", messageId, recipientIndex);
            return;
        }
        var who = recipient.get();
        var data = new LinkedHashMap<String, Object>();
        data.put("message_id", messageId);
        data.put("email", who.email());
        data.put("domain_id", who.domainId());
        data.put("feedback_type", complaint.feedbackType());
        data.put("source_ip", complaint.sourceIp());
        boolean complaintOfTheRecipient = ComplaintReport.byRecipient(complaint.feedbackType());
        var eventId = index.recordFeedback(messageId, recipientIndex, complaintOfTheRecipient ? RecipientStatus.COMPLAINED : null,
                "feedback report: " + complaint.feedbackType(), new EventLog.NewEvent(who.tenantId(), "message.complained", messageId, data), clock.instant());
        if (complaintOfTheRecipient) {
            suppressions.add(Scope.AGENCY, who.tenantId(), null, who.email(), SuppressionReason.COMPLAINT, eventId);
        }
    }
}
