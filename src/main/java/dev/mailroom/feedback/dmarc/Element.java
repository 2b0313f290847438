package dev.mailroom.feedback.dmarc;

import java.util.List;

/**
 * An XML element of a report section: local name (namespaces ignored, so RFC 7489 reports and
 * DMARCbis's {@code urn:ietf:params:xml:ns:dmarc-2.0} read alike), stripped text and child elements.
 * {@code text} is cut short past {@link AggregateReportParser#MAX_TEXT} characters, a length
 * no field may have: {@link AggregateReportParser} refuses such a value when it reads it.
 */
record Element(String name, String text, List<Element> children) {
    /** The first child named so, or null. */
    Element child(String childName) {
        for (var child : children) {
            if (child.name.equals(childName)) {
                return child;
            }
        }
        return null;
    }

    List<Element> all(String childName) {
        return children.stream().filter(child -> child.name.equals(childName)).toList();
    }
}
