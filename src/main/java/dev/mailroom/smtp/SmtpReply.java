package dev.mailroom.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, an enhanced status code (RFC 3463) and one or
 * more lines of text. Every reply carries an enhanced code except the 220 greeting, the answer to
 * HELO/EHLO (RFC 2034 §3) and the 3xx intermediate replies: RFC 3463 has no class 3, and a 334
 * challenge is bare base64 (RFC 4954).
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("an SMTP reply code is 200 to 599, got " + code);
        }
        if (enhanced != null && !fits(code, enhanced)) {
            throw new IllegalArgumentException("'" + enhanced + "' is not an enhanced status code of the class of " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (var line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a reply line cannot hold CR or LF");
            }
        }
    }

    /** Whether {@code enhanced} is an enhanced status code (RFC 3463 §2) of the class of {@code code}. */
    static boolean fits(int code, String enhanced) {
        // the classes are 2, 4 and 5 only, so a 3xx reply can carry none
        return ENHANCED.matcher(enhanced).matches() && enhanced.charAt(0) - '0' == code / 100;
    }

    /** A reply with an enhanced status code, e.g. {@code of(550, "5.1.1", "No such user")}. */
    public static SmtpReply of(int code, String enhanced, String... lines) {
        return new SmtpReply(code, enhanced, List.of(lines));
    }

    /** A reply without an enhanced status code: the greeting, the HELO/EHLO answer, 3xx. */
    public static SmtpReply bare(int code, String... lines) {
        return new SmtpReply(code, null, List.of(lines));
    }

    public static SmtpReply ok(String text) {
        return of(250, "2.0.0", text);
    }

    /** The usual acceptance of MAIL FROM. */
    public static SmtpReply senderOk() {
        return of(250, "2.1.0", "Sender OK");
    }

    /** The usual acceptance of RCPT TO. */
    public static SmtpReply recipientOk() {
        return of(250, "2.1.5", "Recipient OK");
    }

    /** MAIL FROM from a client that must log in first (RFC 4954 §6). */
    public static SmtpReply authenticationRequired() {
        return of(530, "5.7.0", "Authentication required");
    }

    public boolean positive() {
        return code / 100 == 2;
    }

    /** 221 and 421 end the session (RFC 5321 §4.2.2: "closing transmission channel"). */
    public boolean closes() {
        return code == 221 || code == 421;
    }

    /** The reply as sent: {@code 250-...} continuation lines, then {@code 250 ...}, each ending CRLF. */
    public byte[] wire() {
        var text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) {
                text.append(enhanced).append(' ');
            }
            text.append(lines.get(i)).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + String.join(" / ", lines);
    }
}
