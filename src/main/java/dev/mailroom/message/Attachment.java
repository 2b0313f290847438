package dev.mailroom.message;

/** A file to attach: its name as the recipient sees it, its media type, its bytes. */
public record Attachment(String filename, String contentType, byte[] content) {
    @Override
    public String toString() {
        return "Attachment[" + filename + ", " + contentType + ", " + content.length + " bytes]";
    }
}
