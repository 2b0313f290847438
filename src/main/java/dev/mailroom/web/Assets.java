package dev.mailroom.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's static files, all from the classpath under {@code /assets}: htmx and uPlot from
 * their npm packages' WebJars (Maven Central, pinned in the pom; no CDN), and Mailroom's own CSS
 * and script from {@code src/main/resources/web/assets}. Every URL names its content (a version
 * in the path, or a fingerprint in the query), so browsers may keep them for a year.
 */
public final class Assets {
    static final String HOSTED = "/assets";
    static final String VENDOR = HOSTED + "/vendor";
    private static final String OWN_DIRECTORY = "/web/assets";
    private static final String WEBJARS = "/META-INF/resources/webjars";
    private static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "public, max-age=31536000, immutable",
            "X-Content-Type-Options", "nosniff");
    private final String htmx;
    private final String uplotScript;
    private final String uplotStyle;
    private final String style;
    private final String script;
    private final String tenantScript;

    private Assets(String htmx, String uplotScript, String uplotStyle, String style, String script, String tenantScript) {
        this.htmx = htmx;
        this.uplotScript = uplotScript;
        this.uplotStyle = uplotStyle;
        this.style = style;
        this.script = script;
        this.tenantScript = tenantScript;
    }

    /** Finds the packaged versions and fingerprints; fails at start-up, not at the first page, when a file is missing. */
    static Assets load() {
        var htmxVersion = webjarVersion("htmx.org");
        var uplotVersion = webjarVersion("uplot");
        return new Assets(
                vendor("htmx.org", htmxVersion, "dist/htmx.min.js"),
                vendor("uplot", uplotVersion, "dist/uPlot.iife.min.js"),
                vendor("uplot", uplotVersion, "dist/uPlot.min.css"),
                own("mailroom.css"),
                own("mailroom.js"),
                own("tenant.js"));
    }

    void register(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = VENDOR;
            files.directory = WEBJARS;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
        config.staticFiles.add(files -> {
            files.hostedPath = HOSTED;
            files.directory = OWN_DIRECTORY;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
    }

    public String htmx() {
        return htmx;
    }

    public String uplotScript() {
        return uplotScript;
    }

    public String uplotStyle() {
        return uplotStyle;
    }

    /** {@code /assets/mailroom.css?v=<fingerprint>}. */
    public String style() {
        return style;
    }

    /** {@code /assets/mailroom.js?v=<fingerprint>}: every page's own script (no inline scripts: the CSP forbids them). */
    public String script() {
        return script;
    }

    /** {@code /assets/tenant.js?v=<fingerprint>}: the tenant pages' charts and copy buttons. */
    public String tenantScript() {
        return tenantScript;
    }

    private static String vendor(String artifact, String version, String file) {
        var path = "/" + artifact + "/" + version + "/" + file;
        if (Assets.class.getResource(WEBJARS + path) == null) {
            throw new IllegalStateException("the dashboard asset " + WEBJARS + path + " is not on the classpath");
        }
        return VENDOR + path;
    }

    private static String webjarVersion(String artifact) {
        try (var in = open("/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String own(String file) {
        try (var in = open(OWN_DIRECTORY + "/" + file)) {
            var digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return HOSTED + "/" + file + "?v=" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        var in = Assets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("the dashboard asset " + resource + " is not on the classpath");
        }
        return in;
    }
}
