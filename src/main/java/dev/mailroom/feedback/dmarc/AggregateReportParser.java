package dev.mailroom.feedback.dmarc;

import com.google.common.net.InetAddresses;
import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.feedback.dmarc.ReportRecord.DkimResult;
import dev.mailroom.feedback.dmarc.ReportRecord.PolicyOverride;
import dev.mailroom.feedback.dmarc.ReportRecord.SpfResult;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an aggregate report's XML (RFC 7489 appendix C, and DMARCbis's, which adds a namespace
 * and a few elements) with the JDK's StAX parser. A document type declaration is refused as soon
 * as it is met, before anything in it is read: with no DTD there are no entities to expand
 * (billion laughs) or fetch (XXE), and the parser is told never to fetch a DTD either. Each
 * section is read into a small tree within limits of depth, elements and text length, then
 * checked; elements the schema does not name (extensions, later additions) are passed over.
 */
final class AggregateReportParser {
    /** Characters of free text (comments, errors, contact information). */
    static final int MAX_TEXT = 1000;
    /** Characters of a name or identifier: domains, report id, organisation, results. */
    static final int MAX_NAME = 255;
    /** Errors of a report, reasons and auth results of a record: a handful in real reports. */
    private static final int MAX_REPEATS = 100;
    /** The schema nests five deep; anything much deeper is not a report. */
    private static final int MAX_DEPTH = 16;
    /** Elements in one section (a record, the metadata): a record has about twenty. */
    private static final int MAX_SECTION_ELEMENTS = 10_000;
    /** 9999-12-31T23:59:59Z, the last second both databases store. */
    private static final long LAST_SECOND = 253_402_300_799L;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private AggregateReportParser() {}

    static AggregateReport parse(byte[] xml) throws ReportRefused {
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
            return new Reading(reader).report();
        } catch (XMLStreamException e) {
            throw new ReportRefused(Refusal.MALFORMED_XML, "the XML is not well-formed: " + oneLine(e.getMessage()));
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing is held open: the input is in memory
                }
            }
        }
    }

    /**
     * The JDK's own parser, whatever else is on the class path, made per report: the factory's
     * thread safety is not promised, and reports are few.
     */
    private static XMLInputFactory factory() {
        var factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** One pass over a document. */
    private static final class Reading {
        private final XMLStreamReader reader;
        private int elements;

        Reading(XMLStreamReader reader) {
            this.reader = reader;
        }

        AggregateReport report() throws XMLStreamException, ReportRefused {
            var root = rootElement();
            if (!root.equals("feedback")) {
                throw invalid("the root element is <" + root + ">; an aggregate report's is <feedback>");
            }
            ReportMetadata metadata = null;
            PolicyPublished policy = null;
            var records = new ArrayList<ReportRecord>();
            long messages = 0;
            int event;
            while ((event = reader.next()) != XMLStreamConstants.END_ELEMENT) {
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue; // white space, comments
                }
                switch (reader.getLocalName()) {
                    case "report_metadata" -> {
                        if (metadata != null) {
                            throw invalid("<report_metadata> appears twice");
                        }
                        metadata = metadata(section());
                    }
                    case "policy_published" -> {
                        if (policy != null) {
                            throw invalid("<policy_published> appears twice");
                        }
                        policy = policy(section());
                    }
                    case "record" -> {
                        if (policy == null) {
                            // the schema's order; alignment needs the policy's modes
                            throw invalid("a <record> comes before <policy_published>");
                        }
                        var record = record(section(), policy, records.size() + 1);
                        try {
                            messages = Math.addExact(messages, record.count());
                        } catch (ArithmeticException e) {
                            throw invalid("the records' counts add up to more than a report can hold");
                        }
                        records.add(record);
                    }
                    default -> skip();
                }
            }
            while (reader.hasNext()) {
                reader.next(); // the parser refuses a second root element or text after the first
            }
            if (metadata == null) {
                throw invalid("<report_metadata> is missing");
            }
            if (policy == null) {
                throw invalid("<policy_published> is missing");
            }
            return new AggregateReport(metadata, policy, records);
        }

        /** The name of the root element; a DTD on the way there ends the reading. */
        private String rootElement() throws XMLStreamException, ReportRefused {
            while (true) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD -> throw new ReportRefused(Refusal.DOCTYPE,
                            "the XML has a document type declaration (<!DOCTYPE>); reports have none, and DTDs and entities are not read");
                    case XMLStreamConstants.START_ELEMENT -> {
                        return reader.getLocalName();
                    }
                    default -> {
                        // comments, processing instructions, white space
                    }
                }
            }
        }

        private Element section() throws XMLStreamException, ReportRefused {
            elements = 0;
            return element(reader.getLocalName(), 2);
        }

        /** The element whose start tag was just read, up to its end tag. */
        private Element element(String name, int depth) throws XMLStreamException, ReportRefused {
            if (depth > MAX_DEPTH) {
                throw invalid("elements nest more than " + MAX_DEPTH + " deep");
            }
            if (++elements > MAX_SECTION_ELEMENTS) {
                throw invalid("a section has more than " + MAX_SECTION_ELEMENTS + " elements");
            }
            var text = new StringBuilder();
            var children = new ArrayList<Element>();
            while (true) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> children.add(element(reader.getLocalName(), depth + 1));
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> append(text);
                    case XMLStreamConstants.END_ELEMENT -> {
                        return new Element(name, text.toString().strip(), List.copyOf(children));
                    }
                    default -> {
                        // comments, processing instructions
                    }
                }
            }
        }

        /** Keeps at most one character past {@link #MAX_TEXT}, enough to know a value is too long; leading white space is dropped. */
        private void append(StringBuilder text) {
            var chars = reader.getTextCharacters();
            int start = reader.getTextStart();
            int end = start + reader.getTextLength();
            if (text.isEmpty()) {
                while (start < end && Character.isWhitespace(chars[start])) {
                    start++;
                }
            }
            text.append(chars, start, Math.min(end - start, Math.max(0, MAX_TEXT + 1 - text.length())));
        }

        private void skip() throws XMLStreamException {
            int open = 1;
            while (open > 0) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> open++;
                    case XMLStreamConstants.END_ELEMENT -> open--;
                    default -> {
                        // the content of an element no one reads
                    }
                }
            }
        }
    }

    private static ReportMetadata metadata(Element section) throws ReportRefused {
        var path = "report_metadata";
        var range = section.child("date_range");
        if (range == null) {
            throw invalid(path + "/date_range is missing");
        }
        var begin = epochSecond(required(range, path + "/date_range", "begin", MAX_NAME), path + "/date_range/begin");
        var end = epochSecond(required(range, path + "/date_range", "end", MAX_NAME), path + "/date_range/end");
        if (end.isBefore(begin)) {
            throw invalid(path + "/date_range ends (" + end + ") before it begins (" + begin + ")");
        }
        var errors = new ArrayList<String>();
        for (var error : repeated(section, path, "error")) {
            errors.add(checkedLength(error.text(), path + "/error", MAX_TEXT));
        }
        return new ReportMetadata(required(section, path, "org_name", MAX_NAME), optional(section, path, "email", MAX_NAME),
                optional(section, path, "extra_contact_info", MAX_TEXT), required(section, path, "report_id", MAX_NAME), begin, end, errors);
    }

    private static PolicyPublished policy(Element section) throws ReportRefused {
        var path = "policy_published";
        var domain = domain(required(section, path, "domain", MAX_NAME));
        var p = choice(DmarcRecord.Policy.class, required(section, path, "p", MAX_NAME), path + "/p");
        var sp = optional(section, path, "sp", MAX_NAME);
        var pct = optional(section, path, "pct", MAX_NAME);
        Integer percent = null;
        if (pct != null) {
            if (!DIGITS.matcher(pct).matches() || Long.parseLong(pct) > 100) {
                throw invalid(path + "/pct must be a whole number from 0 to 100, got '" + pct + "'");
            }
            percent = Integer.parseInt(pct);
        }
        return new PolicyPublished(domain, mode(section, path, "adkim"), mode(section, path, "aspf"), p,
                sp == null ? p : choice(DmarcRecord.Policy.class, sp, path + "/sp"), percent, optional(section, path, "fo", MAX_NAME));
    }

    private static ReportRecord record(Element section, PolicyPublished policy, int number) throws ReportRefused {
        var path = "record " + number + ": ";
        var row = child(section, path, "row");
        var evaluated = child(row, path + "row", "policy_evaluated");
        var sourceIp = ipAddress(required(row, path + "row", "source_ip", MAX_NAME), path + "row/source_ip");
        var countText = required(row, path + "row", "count", MAX_NAME);
        if (!DIGITS.matcher(countText).matches()) {
            throw invalid(path + "row/count must be a whole number of 0 or more, got '" + countText + "'");
        }
        var evaluatedPath = path + "row/policy_evaluated";
        var disposition = choice(Disposition.class, required(evaluated, evaluatedPath, "disposition", MAX_NAME), evaluatedPath + "/disposition");
        var dkim = lower(optional(evaluated, evaluatedPath, "dkim", MAX_NAME));
        var spf = lower(optional(evaluated, evaluatedPath, "spf", MAX_NAME));
        var reasons = new ArrayList<PolicyOverride>();
        for (var reason : repeated(evaluated, evaluatedPath, "reason")) {
            reasons.add(new PolicyOverride(lower(required(reason, evaluatedPath + "/reason", "type", MAX_NAME)),
                    optional(reason, evaluatedPath + "/reason", "comment", MAX_TEXT)));
        }
        var identifiers = orEmpty(section.child("identifiers"));
        var headerFrom = domain(optional(identifiers, path + "identifiers", "header_from", MAX_NAME));
        var auth = orEmpty(section.child("auth_results"));
        var authPath = path + "auth_results";
        var dkimResults = new ArrayList<DkimResult>();
        for (var result : repeated(auth, authPath, "dkim")) {
            dkimResults.add(new DkimResult(domain(optional(result, authPath + "/dkim", "domain", MAX_NAME)),
                    optional(result, authPath + "/dkim", "selector", MAX_NAME), lower(optional(result, authPath + "/dkim", "result", MAX_NAME)),
                    optional(result, authPath + "/dkim", "human_result", MAX_TEXT)));
        }
        var spfResults = new ArrayList<SpfResult>();
        for (var result : repeated(auth, authPath, "spf")) {
            spfResults.add(new SpfResult(domain(optional(result, authPath + "/spf", "domain", MAX_NAME)),
                    lower(optional(result, authPath + "/spf", "scope", MAX_NAME)), lower(optional(result, authPath + "/spf", "result", MAX_NAME))));
        }
        return new ReportRecord(sourceIp, Long.parseLong(countText), disposition, dkim, spf, reasons, headerFrom,
                domain(optional(identifiers, path + "identifiers", "envelope_from", MAX_NAME)),
                domain(optional(identifiers, path + "identifiers", "envelope_to", MAX_NAME)), dkimResults, spfResults,
                RecordAlignment.dkim(dkim, headerFrom, dkimResults, policy.adkim()),
                RecordAlignment.spf(spf, headerFrom, spfResults, policy.aspf()));
    }

    private static Element child(Element parent, String path, String name) throws ReportRefused {
        var child = parent.child(name);
        if (child == null) {
            throw invalid(path + (path.endsWith(" ") ? "" : "/") + name + " is missing");
        }
        return child;
    }

    private static List<Element> repeated(Element parent, String path, String name) throws ReportRefused {
        var all = parent.all(name);
        if (all.size() > MAX_REPEATS) {
            throw invalid(join(path, name) + " appears " + all.size() + " times; at most " + MAX_REPEATS + " are read");
        }
        return all;
    }

    private static Element orEmpty(Element element) {
        return element == null ? new Element("", "", List.of()) : element;
    }

    /** A child's text, or null when it is absent or empty. */
    private static String optional(Element parent, String path, String name, int maxLength) throws ReportRefused {
        var child = parent.child(name);
        if (child == null || child.text().isEmpty()) {
            return null;
        }
        return checkedLength(child.text(), join(path, name), maxLength);
    }

    private static String required(Element parent, String path, String name, int maxLength) throws ReportRefused {
        var value = optional(parent, path, name, maxLength);
        if (value == null) {
            throw invalid(join(path, name) + " is missing");
        }
        return value;
    }

    private static String join(String path, String name) {
        return path.endsWith(" ") ? path + name : path + "/" + name;
    }

    private static String checkedLength(String value, String path, int maxLength) throws ReportRefused {
        if (value.length() > maxLength) {
            throw invalid(path + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static Instant epochSecond(String text, String path) throws ReportRefused {
        if (!DIGITS.matcher(text).matches() || Long.parseLong(text) > LAST_SECOND) {
            throw invalid(path + " must be seconds since 1970 (UTC), got '" + text + "'");
        }
        return Instant.ofEpochSecond(Long.parseLong(text));
    }

    private static Alignment.Mode mode(Element section, String path, String tag) throws ReportRefused {
        var value = optional(section, path, tag, MAX_NAME);
        if (value == null) {
            return Alignment.Mode.RELAXED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "r" -> Alignment.Mode.RELAXED;
            case "s" -> Alignment.Mode.STRICT;
            default -> throw invalid(path + "/" + tag + " must be r or s, got '" + value + "'");
        };
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String path) throws ReportRefused {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            var choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw invalid(path + " must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        }
    }

    /** An address in its canonical text (RFC 5952 for IPv6), so that one source is one key whoever spelt it. */
    private static String ipAddress(String text, String path) throws ReportRefused {
        if (text.contains("%") || !InetAddresses.isInetAddress(text)) {
            throw invalid(path + " is not an IPv4 or IPv6 address: '" + text + "'");
        }
        return InetAddresses.toAddrString(InetAddresses.forString(text));
    }

    /** A domain as reported, in lower case without a trailing dot; not checked further (reporters garble them). */
    private static String domain(String text) {
        if (text == null) {
            return null;
        }
        var lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static ReportRefused invalid(String detail) {
        return new ReportRefused(Refusal.INVALID_REPORT, detail);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").strip();
    }
}
