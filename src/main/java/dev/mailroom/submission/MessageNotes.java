package dev.mailroom.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mailroom.events.MessageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** A message's index record, kept in the spool beside the message so the index can be rebuilt after a crash. */
final class MessageNotes {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private MessageNotes() {}

    static byte[] encode(MessageRecord record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<MessageRecord> decode(byte[] notes) {
        if (notes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(notes, MessageRecord.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
