package dev.mailroom.tenancy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Page;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A tenant's data as one zip, for the client to take away when it leaves (and at any time
 * before): its record, domains and the DNS records to remove, then the parts other packages
 * write (suppressions, messages, events, stats), and a README.txt saying what each file is.
 * Every part is streamed into the zip as it is read, never held whole in memory.
 */
public final class TenantExport {
    private final TenantService tenants;
    private final DomainService domains;
    private final ObjectMapper json;
    private final List<ExportPart> parts;

    /**
     * @param json  the API's JSON conventions, so that the files read as the API's answers do
     * @param extra the parts other packages write, in the order they go into the zip
     */
    public TenantExport(TenantService tenants, DomainService domains, ObjectMapper json, List<ExportPart> extra) {
        this.tenants = tenants;
        this.domains = domains;
        this.json = json;
        var all = new ArrayList<ExportPart>();
        all.add(ExportPart.of("tenant.json", "the tenant as GET /v1/tenants/{id} shows it", this::writeTenant));
        all.add(ExportPart.of("domains.json", "its domains as GET /v1/domains/{id} shows each, with the DNS records Mailroom asked for and their last check",
                this::writeDomains));
        all.add(ExportPart.text("dns-records-to-remove.csv", "CSV domain,purpose,type,name,value,status: every DNS record published for Mailroom, "
                + "to remove from the client's zones once its mail no longer goes through Mailroom (status: what the last check found)",
                this::writeRecords));
        all.addAll(extra);
        this.parts = List.copyOf(all);
    }

    /** An export ready to be written; making it checks that the tenant exists within the caller's reach. */
    public record Export(String fileName, Writer writer) {
        public void write(OutputStream out) throws IOException {
            writer.write(out);
        }
    }

    /** Writes a zip to a stream. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public Export prepare(Scope scope, String tenantId) {
        var tenant = tenants.get(scope, tenantId);
        return new Export(tenant.id() + "-export.zip", out -> write(tenant.id(), out));
    }

    private void write(String tenantId, OutputStream out) throws IOException {
        var zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        var entry = new Unclosable(zip);
        zip.putNextEntry(new ZipEntry("README.txt"));
        entry.write(readme().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        for (var part : parts) {
            zip.putNextEntry(new ZipEntry(part.name()));
            part.write(tenantId, entry);
            entry.flush();
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private String readme() {
        var text = new StringBuilder("""
                Mailroom export of one tenant. Timestamps are RFC 3339 in UTC; JSON uses the API's field names;
                CSV is RFC 4180 (comma-separated, CRLF lines, a header line); .jsonl holds one JSON object a line.
                Message bodies are not exported: only what the API shows of each message.

                """);
        text.append(String.format(Locale.ROOT, "%-28s%s%n", "README.txt", "this file"));
        parts.forEach(part -> text.append(String.format(Locale.ROOT, "%-28s%s%n", part.name(), part.description())));
        return text.toString();
    }

    private void writeTenant(String tenantId, OutputStream out) throws IOException {
        json.writerWithDefaultPrettyPrinter().writeValue(out, tenants.get(Scope.AGENCY, tenantId));
    }

    private void writeDomains(String tenantId, OutputStream out) throws IOException {
        try (var generator = json.getFactory().createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            generator.writeStartArray();
            for (var domain : allDomains(tenantId)) {
                generator.writeObject(DomainView.of(domain));
            }
            generator.writeEndArray();
        }
    }

    private void writeRecords(String tenantId, java.util.function.Consumer<String> print) {
        print.accept(Csv.line("domain", "purpose", "type", "name", "value", "status"));
        for (var domain : allDomains(tenantId)) {
            for (var record : domain.records()) {
                print.accept(Csv.line(domain.domain().name(), lower(record.purpose()), record.type(), record.name(), record.value(),
                        lower(record.status())));
            }
        }
    }

    /** A tenant has few domains (a handful per client): they are read whole, a page at a time. */
    private List<DomainDetails> allDomains(String tenantId) {
        var all = new ArrayList<DomainDetails>();
        Page.forEach((after, limit) -> domains.list(Scope.tenant(tenantId), after, limit), all::add);
        return all;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The zip as a part sees it: closing it (as JSON writers do when done) ends nothing. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
