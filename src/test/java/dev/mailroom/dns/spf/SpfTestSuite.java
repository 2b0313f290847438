package dev.mailroom.dns.spf;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mailroom.dns.InMemoryZone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The openspf.org RFC 7208 test suite (release 2014.04) as Debian ships it in python3-spf: YAML
 * documents, each a section of scenarios over one zone. Read where it is installed, never copied.
 */
final class SpfTestSuite {
    static final Path FILE = Path.of("/usr/share/doc/python3-spf/rfc7208-tests.yml.gz");
    private static final String NO_RECORDS = "NONE";

    private SpfTestSuite() {}

    record Section(String description, InMemoryZone zone, List<Scenario> scenarios) {}

    /**
     * One check and its acceptable results; where the RFC leaves room, the suite lists several.
     *
     * @param explanation the expected fail explanation; "DEFAULT" stands for the checker's default
     */
    record Scenario(String name, String spec, String helo, String host, String mailFrom, List<String> results,
            Optional<String> explanation) {}

    static List<Section> load(Path file) throws IOException {
        var mapper = new YAMLMapper();
        var sections = new ArrayList<Section>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             var documents = mapper.readValues(mapper.createParser(in), new TypeReference<Map<String, Object>>() {})) {
            while (documents.hasNext()) {
                sections.add(section(documents.next()));
            }
        }
        return sections;
    }

    @SuppressWarnings("unchecked")
    private static Section section(Map<String, Object> document) {
        var scenarios = new ArrayList<Scenario>();
        var tests = (Map<String, Map<String, Object>>) document.get("tests");
        tests.forEach((name, test) -> scenarios.add(new Scenario(
                name,
                String.valueOf(test.get("spec")),
                (String) test.get("helo"),
                (String) test.get("host"),
                (String) test.get("mailfrom"),
                test.get("result") instanceof List<?> results ? (List<String>) results : List.of((String) test.get("result")),
                Optional.ofNullable((String) test.get("explanation")))));
        return new Section((String) document.get("description"), zone((Map<String, List<Object>>) document.get("zonedata")), scenarios);
    }

    /**
     * The suite writes most policies as type SPF records and leaves it to the driver to publish
     * them as TXT too, unless the name has TXT entries of its own ("TXT: NONE" marks a name that
     * must have none). This is that rule, as the suite's own driver (pyspf's testspf.py) applies it.
     */
    @SuppressWarnings("unchecked")
    private static InMemoryZone zone(Map<String, List<Object>> zonedata) {
        var zone = new InMemoryZone();
        zonedata.forEach((name, entries) -> {
            boolean hasTxt = entries.stream().anyMatch(entry -> entry instanceof Map<?, ?> record && record.containsKey("TXT"));
            for (var entry : entries) {
                if ("TIMEOUT".equals(entry)) {
                    zone.timeout(name);
                    continue;
                }
                var record = ((Map<String, Object>) entry).entrySet().iterator().next();
                var value = record.getValue();
                switch (record.getKey()) {
                    case "TXT" -> {
                        if (!NO_RECORDS.equals(value)) {
                            zone.txt(name, strings(value));
                        }
                    }
                    case "SPF" -> {
                        if (!NO_RECORDS.equals(value)) {
                            zone.spf(name, strings(value));
                            if (!hasTxt) {
                                zone.txt(name, strings(value));
                            }
                        }
                    }
                    case "A" -> zone.a(name, (String) value);
                    case "AAAA" -> zone.aaaa(name, (String) value);
                    case "MX" -> {
                        var mx = (List<Object>) value;
                        zone.mx(name, (Integer) mx.get(0), (String) mx.get(1));
                    }
                    case "PTR" -> zone.ptr(name, (String) value);
                    case "CNAME" -> zone.cname(name, (String) value);
                    default -> throw new IllegalArgumentException("record type " + record.getKey() + " at " + name + " is not supported");
                }
            }
        });
        return zone;
    }

    /** A TXT value is one string or a list of character-strings. */
    private static String[] strings(Object value) {
        return value instanceof List<?> list ? list.toArray(String[]::new) : new String[] {(String) value};
    }
}
