package dev.mailroom.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.InvalidDomainNameException;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A JSON request body read field by field. Problems are collected rather than thrown one at
 * a time, so a client hears of every field at fault at once; {@link #finish()} throws them.
 * Fields the endpoint does not know are errors too: a misspelt optional field must not pass
 * unnoticed.
 */
final class Body {
    private final ObjectNode node;
    private final String prefix;
    private final List<FieldError> errors;

    private Body(ObjectNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    static Body read(Context ctx, ObjectMapper mapper, String... allowedFields) {
        var text = ctx.body();
        if (text.isBlank()) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return new Body(object, "", new ArrayList<>()).allowing(allowedFields);
    }

    private Body allowing(String... allowedFields) {
        var allowed = Set.of(allowedFields);
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                error(name, "is not a field of this request");
            }
        });
        return this;
    }

    /**
     * The objects of an array field, each read as a body of its own whose problems are named
     * {@code field[i].name} and reported with this one's. Null when the field is absent.
     */
    List<Body> optionalObjectList(String field, int maxItems, String... allowedFields) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            error(field, "must be an array of objects");
            return null;
        }
        if (value.size() > maxItems) {
            error(field, "has " + value.size() + " items; at most " + maxItems + " are allowed");
            return null;
        }
        var result = new ArrayList<Body>();
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) instanceof ObjectNode object) {
                result.add(new Body(object, prefix + field + "[" + i + "].", errors).allowing(allowedFields));
            } else {
                error(field + "[" + i + "]", "must be an object");
            }
        }
        return result;
    }

    /**
     * An object field read as a body of its own whose problems are named {@code field.name} and
     * reported with this one's. Null when the field is absent or null.
     */
    Body optionalObject(String field, String... allowedFields) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            error(field, "must be an object");
            return null;
        }
        return new Body(object, prefix + field + ".", errors).allowing(allowedFields);
    }

    /** The name this body's problems give a field: {@code messages[2].from} inside a batch. */
    String name(String field) {
        return prefix + field;
    }

    void error(String field, String message) {
        errors.add(new FieldError(prefix + field, message));
    }

    boolean optionalBoolean(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            error(field, "must be true or false");
            return false;
        }
        return value.booleanValue();
    }

    java.time.Instant optionalInstant(String field) {
        var text = optionalString(field);
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            error(field, "must be an RFC 3339 time such as 2026-11-24T09:30:00Z, got '" + text + "'");
            return null;
        }
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    String requiredString(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        return string(field, value);
    }

    /** A required host name, in canonical form (see {@link DomainNames#normalise}). */
    String requiredDomainName(String field) {
        var text = requiredString(field);
        if (text == null) {
            return null;
        }
        try {
            return DomainNames.normalise(text);
        } catch (InvalidDomainNameException e) {
            error(field, "the domain name " + e.getMessage());
            return null;
        }
    }

    String optionalString(String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : string(field, value);
    }

    <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        var text = requiredString(field);
        return text == null ? null : parseEnum(field, type, text);
    }

    <E extends Enum<E>> E optionalEnum(String field, Class<E> type, E fallback) {
        var text = optionalString(field);
        return text == null ? fallback : parseEnum(field, type, text);
    }

    <E extends Enum<E>> Set<E> requiredEnumSet(String field, Class<E> type) {
        var items = optionalStringList(field);
        if (items == null) {
            if (!node.has(field) || node.get(field).isNull()) {
                error(field, "is required: one or more of " + choices(type));
            }
            return null;
        }
        var result = EnumSet.noneOf(type);
        for (int i = 0; i < items.size(); i++) {
            var value = parseEnum(field + "[" + i + "]", type, items.get(i));
            if (value != null) {
                result.add(value);
            }
        }
        return result;
    }

    List<String> optionalStringList(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            error(field, "must be an array of strings");
            return null;
        }
        var result = new ArrayList<String>();
        for (int i = 0; i < value.size(); i++) {
            var item = value.get(i);
            if (!item.isTextual()) {
                error(field + "[" + i + "]", "must be a string");
            } else {
                result.add(item.asText());
            }
        }
        return result;
    }

    Map<String, String> optionalStringMap(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            error(field, "must be an object of string values");
            return null;
        }
        var result = new LinkedHashMap<String, String>();
        value.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                error(field + "." + entry.getKey(), "must be a string");
            } else {
                result.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return result;
    }

    /** A whole number, or null when the field is absent or null. */
    Integer optionalInteger(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            error(field, "must be a whole number");
            return null;
        }
        return value.intValue();
    }

    Double optionalNumber(String field) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            error(field, "must be a number");
            return null;
        }
        return value.doubleValue();
    }

    /**
     * A count a client may set or clear: absent gives null (unchanged), JSON null gives -1
     * (back to the default), a whole number of 0 or more gives itself.
     */
    Integer resettableCount(String field) {
        var value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isNull()) {
            return -1;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
            error(field, "must be a whole number of 0 or more, or null for the default");
            return null;
        }
        return value.intValue();
    }

    /** Throws every problem found so far; call before acting on the values. */
    void finish() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private String string(String field, JsonNode value) {
        if (!value.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return value.asText();
    }

    private <E extends Enum<E>> E parseEnum(String field, Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(field, "must be one of " + choices(type) + ", got '" + text + "'");
            return null;
        }
    }

    private static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Json::wireName).collect(Collectors.joining(", "));
    }
}
