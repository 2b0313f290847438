package dev.mailroom.spool;

/** An unfinished recipient found when the spool is opened: delivery picks it up again. */
public record PendingRecipient(String messageId, int index, String address, RecipientState state) {}
