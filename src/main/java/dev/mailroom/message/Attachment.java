package dev.mailroom.message;

/** A file to attach: its name as the recipient sees it, its media type, its bytes. */
public record Attachment(String filename, String contentType, byte[] content) {
    private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}");

    public Attachment {
        if (contentType == null || !MEDIA_TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException("content_type must be a media type such as application/pdf, got '" + contentType + "'");
        }
        if (filename == null || filename.isBlank() || filename.length() > 255 || filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("filename must be 1 to 255 characters without control characters");
        }
    }

    @Override
    public String toString() {
        return "Attachment[" + filename + ", " + contentType + ", " + content.length + " bytes]";
    }
}
