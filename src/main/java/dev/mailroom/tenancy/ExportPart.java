package dev.mailroom.tenancy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One file of a tenant's export zip, written by the package that owns its data (suppressions,
 * messages, events, stats). {@link TenantExport} names it in README.txt with its description.
 */
public interface ExportPart {
    /** The file's name in the zip, e.g. {@code events.jsonl}. */
    String name();

    /** One line for README.txt: what the file holds and in which format. */
    String description();

    /**
     * Writes the tenant's data to {@code out}, reading it a page at a time so memory stays bounded.
     * {@code out} must be flushed, not closed: the zip goes on after this part.
     */
    void write(String tenantId, OutputStream out) throws IOException;

    /** Writes one tenant's file. */
    interface Writer {
        void write(String tenantId, OutputStream out) throws IOException;
    }

    /** A part from its name, its README line and what writes it. */
    static ExportPart of(String name, String description, Writer writer) {
        return new Simple(name, description, writer);
    }

    /** Writes one tenant's file as text: {@code print} takes each piece in turn. */
    interface TextWriter {
        void write(String tenantId, Consumer<String> print);
    }

    /**
     * A text part (UTF-8). A failure to write (the client went away) ends the part at once, rather
     * than after every page has been read for nothing.
     */
    static ExportPart text(String name, String description, TextWriter writer) {
        return of(name, description, (tenantId, out) -> {
            var text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try {
                writer.write(tenantId, piece -> {
                    try {
                        text.write(piece);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            text.flush();
        });
    }

    /** The part {@link #of} makes. */
    record Simple(String name, String description, Writer writer) implements ExportPart {
        @Override
        public void write(String tenantId, OutputStream out) throws IOException {
            writer.write(tenantId, out);
        }
    }
}
