package dev.mailroom.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the routes the server has: no more, no fewer. */
class OpenApiDocumentTest {
    @TempDir
    Path dataDir;

    @Test
    void documentAndRoutesAgree() {
        var document = OpenApiDocument.load();
        var documented = new HashSet<String>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(operation.getKey())) {
                documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        var served = new HashSet<String>();
        try (var server = TestServer.start(dataDir, null)) {
            server.mailroom().api().routes().forEach(route -> served.add(route.method().name() + " " + route.path()));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void anIndependentParserFindsTheDocumentValid() throws Exception {
        var options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        var result = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(OpenApiDocument.load()), null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).hasSize(56);
        // a description split by a stray comma would leave unknown keys in a response object
        result.getOpenAPI().getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().values().forEach(response -> assertThat(response.get$ref() != null || response.getDescription() != null).isTrue())));
    }

    @Test
    void everyReferenceResolves() {
        var document = OpenApiDocument.load();
        var text = document.toString();
        var matcher = java.util.regex.Pattern.compile("\"#/components/(\\w+)/(\\w+)\"").matcher(text);
        while (matcher.find()) {
            assertThat(document.path("components").path(matcher.group(1)).has(matcher.group(2)))
                    .as(matcher.group()).isTrue();
        }
    }
}
