package dev.mailroom.message;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a {@link Draft} into RFC 5322 bytes with CRLF line ends: text parts in quoted-printable
 * UTF-8, attachments in base64, non-ASCII header text and file names encoded (RFC 2047, RFC 2231),
 * {@code multipart/alternative} for text with html, {@code multipart/mixed} around attachments.
 * Bcc never appears: it belongs to the envelope.
 */
public final class MimeComposer {
    /** RFC 5322 3.3 with a numeric zone (+0000), not the obsolete GMT. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", java.util.Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();

    /** A Date header value (RFC 5322 section 3.3). */
    public static String date(java.time.Instant at) {
        return DATE.format(at);
    }

    public byte[] compose(Draft draft) {
        for (var header : draft.headers().entrySet()) {
            HeaderRules.problem(header.getKey(), header.getValue()).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        var out = new StringBuilder();
        out.append(HeaderText.field("From", draft.from().header()));
        if (!draft.to().isEmpty()) {
            out.append(HeaderText.field("To", addresses(draft.to())));
        }
        if (!draft.cc().isEmpty()) {
            out.append(HeaderText.field("Cc", addresses(draft.cc())));
        }
        if (draft.replyTo() != null) {
            out.append(HeaderText.field("Reply-To", draft.replyTo().header()));
        }
        out.append(HeaderText.unstructuredField("Subject", draft.subject()));
        out.append(HeaderText.field("Date", date(draft.date())));
        out.append(HeaderText.field("Message-ID", "<" + draft.messageId() + ">"));
        out.append("MIME-Version: 1.0\r\n");
        if (!draft.listUnsubscribe().isEmpty()) {
            out.append(HeaderText.field("List-Unsubscribe", draft.listUnsubscribe().stream().map(uri -> "<" + uri + ">")
                    .collect(Collectors.joining(", "))));
            out.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
        }
        if (draft.feedbackId() != null) {
            out.append(HeaderText.field("Feedback-ID", draft.feedbackId()));
        }
        draft.headers().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(header -> out.append(HeaderText.unstructuredField(header.getKey(), header.getValue())));
        out.append(body(draft));
        var text = out.toString();
        for (int i = 0, lineStart = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7e) {
                throw new IllegalStateException("composed message has a non-ASCII character at " + i);
            }
            if (c == '\n') {
                if (i - lineStart > 998) {
                    throw new IllegalArgumentException("a header line would pass 998 characters (RFC 5322); shorten the field");
                }
                lineStart = i + 1;
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The Content-Type header onwards: everything below the message's own headers. */
    private String body(Draft draft) {
        var content = draft.text() != null && draft.html() != null
                ? multipart("alternative", List.of(textPart("plain", draft.text()), textPart("html", draft.html())))
                : textPart(draft.text() != null ? "plain" : "html", draft.text() != null ? draft.text() : draft.html());
        if (draft.attachments().isEmpty()) {
            return content;
        }
        var parts = new ArrayList<String>();
        parts.add(content);
        draft.attachments().forEach(attachment -> parts.add(attachmentPart(attachment)));
        return multipart("mixed", parts);
    }

    private static String textPart(String subtype, String text) {
        return "Content-Type: text/" + subtype + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + QuotedPrintable.encode(text) + "\r\n";
    }

    private static String attachmentPart(Attachment attachment) {
        return "Content-Type: " + attachment.contentType() + ";\r\n " + parameter("name", attachment.filename()) + "\r\n"
                + "Content-Disposition: attachment;\r\n " + parameter("filename", attachment.filename()) + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment.content()) + "\r\n";
    }

    /**
     * {@code name="..."} for short plain ASCII; otherwise RFC 2231's {@code name*=UTF-8''...},
     * split into {@code name*0*=}, {@code name*1*=}... continuations so no line grows long.
     */
    private static String parameter(String name, String filename) {
        if (HeaderText.isAscii(filename) && !filename.contains("\"") && !filename.contains("\\") && filename.length() <= 60) {
            return name + "=\"" + filename + "\"";
        }
        var encoded = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        var pieces = new ArrayList<String>();
        for (int start = 0; start < encoded.length(); ) {
            int end = Math.min(encoded.length(), start + 48); // with " filename*NN*=UTF-8''" and ";" a line stays under 78
            while (end < encoded.length() && end > start + 3 && encoded.charAt(end - 1) != '%' && encoded.charAt(end - 2) == '%') {
                end--; // never split a %XX escape
            }
            while (end < encoded.length() && encoded.charAt(end - 1) == '%') {
                end--;
            }
            pieces.add(encoded.substring(start, end));
            start = end;
        }
        var out = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            out.append(i == 0 ? "" : ";\r\n ").append(name).append('*').append(i).append("*=")
                    .append(i == 0 ? "UTF-8''" : "").append(pieces.get(i));
        }
        return out.toString();
    }

    private String multipart(String subtype, List<String> parts) {
        var bytes = new byte[12];
        random.nextBytes(bytes);
        var boundary = "mr-" + HexFormat.of().formatHex(bytes);
        var out = new StringBuilder("Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n\r\n");
        for (var part : parts) {
            out.append("--").append(boundary).append("\r\n").append(part);
        }
        return out.append("--").append(boundary).append("--\r\n").toString();
    }

    private static String addresses(List<EmailAddress> list) {
        return list.stream().map(EmailAddress::header).collect(Collectors.joining(", "));
    }
}
