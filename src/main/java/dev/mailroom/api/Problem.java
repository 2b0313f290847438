package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.tenancy.FieldError;
import java.util.List;

/** An RFC 9457 problem document; {@code errors} lists the fields at fault for bad input. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:mailroom:problem:" + slug, title, status, detail, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, fieldErrors);
    }
}
