package dev.mailroom.message;

import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.InvalidDomainNameException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A mailbox: an optional display name (any Unicode) and an address with an ASCII local part. */
public record EmailAddress(String displayName, String address) {
    public EmailAddress {
        if (displayName != null && (displayName.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || displayName.length() > 200)) {
            throw new IllegalArgumentException("the display name has control characters or passes 200 characters");
        }
        if (address == null || !address.matches("[\\x21-\\x7e&&[^<>\"(),:;\\[\\]\\\\]]+@[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("'" + address + "' is not an ASCII email address; use EmailAddress.parse");
        }
    }

    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern NAME_AND_ADDRESS = Pattern.compile("^\\s*(?:\"?(.*?)\"?\\s*)<([^<>]+)>\\s*$");
    private static final Pattern ATOM_TEXT = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*");

    /** Parses {@code addr@domain} or {@code Display Name <addr@domain>}; throws naming what is wrong. */
    public static EmailAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.contains("\r") || text.contains("\n")) {
            throw new IllegalArgumentException("contains a line break");
        }
        var matcher = NAME_AND_ADDRESS.matcher(text);
        String name = null;
        String address = text.strip();
        if (matcher.matches()) {
            name = matcher.group(1).strip().replace("\\\"", "\"").replace("\\\\", "\\");
            address = matcher.group(2).strip();
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not an email address");
        }
        var local = address.substring(0, at);
        if (local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            throw new IllegalArgumentException("'" + local + "' is not a valid local part");
        }
        String domain;
        try {
            domain = DomainNames.normalise(address.substring(at + 1));
        } catch (InvalidDomainNameException e) {
            throw new IllegalArgumentException("the domain of '" + address + "' " + e.getMessage());
        }
        return new EmailAddress(name == null || name.isEmpty() ? null : name, local + "@" + domain);
    }

    /**
     * The one mailbox of a From field as a client wrote it (RFC 5322 3.4): comments are dropped,
     * and an address list or group (a comma or colon outside quotes and brackets) is refused, so
     * what the policy checks is exactly the mailbox a reader sees.
     */
    public static EmailAddress fromHeader(String value) {
        var text = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        boolean bracket = false;
        int angles = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                text.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    text.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth++;
            } else {
                if (c == '"') {
                    quoted = true;
                } else if (c == '<') {
                    if (++angles > 1) {
                        throw new IllegalArgumentException("has more than one <address>; a From field here names one mailbox");
                    }
                    if (text.indexOf("@") >= 0 && !phraseQuotedAt(text)) {
                        throw new IllegalArgumentException("has an address outside its <angle brackets>");
                    }
                    bracket = true;
                } else if (c == '>') {
                    bracket = false;
                } else if ((c == ',' || c == ':' || c == ';') && !bracket) {
                    throw new IllegalArgumentException("names more than one mailbox or a group; a From field here names one mailbox");
                }
                text.append(c);
            }
        }
        if (quoted || depth > 0 || bracket) {
            throw new IllegalArgumentException("has an unclosed quote, comment or angle bracket");
        }
        return parse(text.toString().strip());
    }

    /** Whether every '@' in the display name so far sits inside a quoted string. */
    private static boolean phraseQuotedAt(CharSequence phrase) {
        boolean quoted = false;
        for (int i = 0; i < phrase.length(); i++) {
            char c = phrase.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == '@' && !quoted) {
                return false;
            }
        }
        return true;
    }

    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The mailbox as a header writes it: the name as an atom phrase, a quoted string or an RFC 2047 encoded word. */
    public String header() {
        if (displayName == null) {
            return address;
        }
        String phrase;
        if (!HeaderText.isPlain(displayName)) {
            phrase = HeaderText.encodedWords(displayName);
        } else if (ATOM_TEXT.matcher(displayName).matches()) {
            phrase = displayName;
        } else {
            phrase = "\"" + displayName.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return phrase + " <" + address + ">";
    }
}
