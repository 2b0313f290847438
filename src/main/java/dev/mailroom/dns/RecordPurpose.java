package dev.mailroom.dns;

public enum RecordPurpose {
    DKIM, RETURN_PATH, SPF, DMARC, TRACKING, NS
}
