package dev.mailroom.feedback;

import dev.mailroom.delivery.BounceCategory;
import dev.mailroom.delivery.ReplyClassifier;
import dev.mailroom.delivery.ReplyOutcome;
import dev.mailroom.smtp.SmtpReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a bounce says about one recipient: hard or soft and a category, with the same classifier
 * as delivery replies, so a 550 5.1.1 means the same whether it came during the SMTP transaction
 * or later in a DSN. Standard DSNs (RFC 3464) give a Status and usually the remote server's reply in
 * Diagnostic-Code; bounces in other formats are read for the first SMTP reply in their text.
 *
 * @param recipient the Final-Recipient (or Original-Recipient), when the report names one
 * @param response the remote reply or status text, for the event and the recipient's last response
 */
public record BounceReport(boolean hard, BounceCategory category, String recipient, String response, String remoteMta) {
    private static final Pattern SMTP_REPLY = Pattern.compile("(?m)(?<![0-9.])([45][0-9]{2})(?:[ -]+(?:#)?([45]\\.[0-9]{1,3}\\.[0-9]{1,3}))?[ -]+([^\\r\\n]{0,300})");
    private static final Pattern STATUS = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern REASON_WORDS = Pattern.compile("user unknown|unknown user|no such (?:user|mailbox|address|recipient)"
            + "|(?:mailbox|address|recipient|user)(?: name)? (?:is )?(?:unknown|unavailable|not found|invalid|disabled|does not exist)"
            + "|does not exist|not a valid (?:mailbox|recipient|user)|invalid (?:recipient|address|mailbox)|mailbox (?:is )?full|over ?quota"
            + "|quota exceeded|exceeded (?:the )?(?:storage|quota)|host (?:not found|unknown)|domain (?:not found|does not exist)"
            + "|unrouteable|retry (?:time|timeout) (?:not reached|exceeded)|timed? ?out", Pattern.CASE_INSENSITIVE);
    private static final Pattern FAILURE_WORDS = Pattern.compile("message (?:was )?(?:not|could not be) delivered|could not be delivered"
            + "|undeliverable|delivery (?:has )?failed|permanent(?:ly)? (?:error|failure|fatal)|fatal error|(?:was )?delayed"
            + "|has not yet been delivered", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEMPORARY_WORDS = Pattern.compile(
            "temporar(?:y|ily)|will (?:be )?retr|try(?:ing)? again|(?:was )?delayed|has not yet been delivered|still trying", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADDRESS_TYPE = Pattern.compile("^[a-z0-9-]+;\\s*", Pattern.CASE_INSENSITIVE);

    /** Reads a bounce; empty when it is not one (a DSN reporting delivery, an auto-reply). */
    static Optional<BounceReport> read(ReportParts parts) {
        if (parts.isReport("delivery-status")) {
            var status = parts.text("message/delivery-status", "message/global-delivery-status");
            if (status.isPresent()) {
                return fromDsn(ReportParts.fieldGroups(status.get()));
            }
        }
        return fromText(parts.plainText());
    }

    private static Optional<BounceReport> fromDsn(List<Map<String, String>> groups) {
        for (int i = 1; i < groups.size(); i++) { // the first group is about the message, the rest about recipients
            var fields = groups.get(i);
            var action = fields.getOrDefault("action", "").toLowerCase(Locale.ROOT);
            if (!action.startsWith("failed") && !action.startsWith("delayed")) {
                continue; // delivered, relayed, expanded: nothing to act on
            }
            var recipient = Optional.ofNullable(fields.get("final-recipient")).or(() -> Optional.ofNullable(fields.get("original-recipient")))
                    .map(value -> ADDRESS_TYPE.matcher(value).replaceFirst("")).orElse(null);
            var diagnostic = Optional.ofNullable(fields.get("diagnostic-code")).map(value -> ADDRESS_TYPE.matcher(value).replaceFirst("")).orElse("");
            var remote = Optional.ofNullable(fields.get("remote-mta")).map(value -> ADDRESS_TYPE.matcher(value).replaceFirst("")).orElse(null);
            var status = fields.getOrDefault("status", "");
            var reply = replyIn(diagnostic).or(() -> fromStatus(status, diagnostic));
            if (reply.isEmpty()) {
                continue;
            }
            var outcome = ReplyClassifier.classify(reply.get());
            // a "delayed" report is a warning: the sending server is still trying
            boolean hard = action.startsWith("failed") && outcome instanceof ReplyOutcome.HardFailure;
            return Optional.of(new BounceReport(hard, category(outcome), recipient, reply.get().toString(), remote));
        }
        return Optional.empty();
    }

    private static Optional<BounceReport> fromText(String text) {
        return replyIn(text).or(() -> failureLine(text)).map(reply -> {
            var outcome = ReplyClassifier.classify(reply);
            return new BounceReport(outcome instanceof ReplyOutcome.HardFailure, category(outcome), null, reply.toString(), null);
        });
    }

    /**
     * A bounce without any SMTP code (many MTAs write only words): the first line that says why the
     * message failed, as a 550 (a 450 when it speaks of a temporary problem), for the classifier to
     * read. An auto-reply or anything else that says none of these is not taken for a bounce.
     */
    private static Optional<SmtpReply> failureLine(String text) {
        // a line naming the reason beats a line only saying that delivery failed
        var matcher = REASON_WORDS.matcher(text);
        if (!matcher.find()) {
            matcher = FAILURE_WORDS.matcher(text);
            if (!matcher.find()) {
                return Optional.empty();
            }
        }
        int start = text.lastIndexOf('\n', matcher.start()) + 1;
        int end = text.indexOf('\n', matcher.end());
        var line = text.substring(start, end < 0 ? text.length() : end).strip();
        line = line.length() > 300 ? line.substring(0, 300) : line;
        int code = TEMPORARY_WORDS.matcher(text).find() ? 450 : 550;
        return Optional.of(new SmtpReply(code, null, List.of(line.isEmpty() ? "(no text)" : line)));
    }

    /** The first SMTP reply with a 4xx or 5xx code in the text, e.g. {@code 550 5.1.1 <x>: user unknown}. */
    static Optional<SmtpReply> replyIn(String text) {
        var matcher = SMTP_REPLY.matcher(text);
        while (matcher.find()) {
            int code = Integer.parseInt(matcher.group(1));
            var enhanced = matcher.group(2);
            if (enhanced != null && enhanced.charAt(0) - '0' != code / 100) {
                enhanced = null; // a 550 with a 4.x.x code: keep the basic code, drop the contradiction
            }
            var rest = matcher.group(3).strip();
            return Optional.of(new SmtpReply(code, enhanced, List.of(rest.isEmpty() ? "(no text)" : rest)));
        }
        return Optional.empty();
    }

    private static Optional<SmtpReply> fromStatus(String status, String diagnostic) {
        var matcher = STATUS.matcher(status);
        if (!matcher.find() || matcher.group(1).equals("2")) {
            return Optional.empty();
        }
        int code = matcher.group(1).equals("5") ? 550 : 450;
        return Optional.of(new SmtpReply(code, matcher.group(), List.of(diagnostic.isBlank() ? "(status only)" : diagnostic.strip())));
    }

    private static BounceCategory category(ReplyOutcome outcome) {
        return switch (outcome) {
            case ReplyOutcome.HardFailure hard -> hard.category();
            case ReplyOutcome.SoftFailure soft -> soft.category();
            case ReplyOutcome.Delivered delivered -> BounceCategory.OTHER;
        };
    }
}
