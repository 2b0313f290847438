package dev.mailroom.feedback;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An ARF feedback report (RFC 5965) from a feedback loop: a recipient marked a message as spam.
 * What identifies our message: the Original-Mail-From (our VERP return path), else the Return-Path
 * or Message-ID in the original headers the report quotes; the recipient: Original-Rcpt-To, else
 * the quoted To.
 */
public record ComplaintReport(String feedbackType, String returnPath, String messageId, String recipient, String sourceIp) {
    private static final Pattern ANGLES = Pattern.compile("<([^>]*)>");
    private static final Pattern OUR_MESSAGE_ID = Pattern.compile("<(msg_[0-9a-z]+)@");

    /**
     * Whether a report of this feedback type is the recipient's complaint: not-spam, auth-failure
     * (RFC 6591) and virus reports are not.
     */
    public static boolean byRecipient(String feedbackType) {
        return feedbackType.equals("abuse") || feedbackType.equals("fraud");
    }

    /** Reads an ARF report; empty when the message is not one. */
    static Optional<ComplaintReport> read(ReportParts parts) {
        if (!parts.isReport("feedback-report")) {
            return Optional.empty();
        }
        var fields = parts.text("message/feedback-report").map(ReportParts::fieldGroups).filter(groups -> !groups.isEmpty())
                .map(groups -> groups.get(0)).orElse(Map.of());
        var original = parts.text("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")
                .map(text -> text.split("\r?\n\r?\n", 2)[0]).map(ReportParts::fieldGroups)
                .filter(groups -> !groups.isEmpty()).map(groups -> groups.get(0)).orElse(Map.of());
        var returnPath = address(fields.get("original-mail-from")).or(() -> address(original.get("return-path"))).orElse(null);
        var messageId = Optional.ofNullable(original.get("message-id")).map(OUR_MESSAGE_ID::matcher)
                .filter(java.util.regex.Matcher::find).map(matcher -> matcher.group(1)).orElse(null);
        // the quoted To names the recipient only when it names one address
        var to = original.get("to");
        var recipient = address(fields.get("original-rcpt-to")).or(() -> to != null && !to.contains(",") ? address(to) : Optional.empty()).orElse(null);
        return Optional.of(new ComplaintReport(fields.getOrDefault("feedback-type", "abuse").toLowerCase(Locale.ROOT), returnPath, messageId,
                recipient, fields.get("source-ip")));
    }

    /** The address in {@code <...>}, or the value itself when it has no angle brackets. */
    private static Optional<String> address(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        var matcher = ANGLES.matcher(value);
        var address = matcher.find() ? matcher.group(1) : value.strip();
        return address.contains("@") ? Optional.of(address.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
