package dev.mailroom.web;

import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.ValidationException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading forms the way the API reads JSON: the same choices in the same words, and its field errors to show beside the inputs. */
final class Forms {
    private Forms() {}

    /** The enum constant a form field names in the API's words ({@code marketing}); {@code fallback} when left empty. */
    static <E extends Enum<E>> E choice(String field, Class<E> type, String text, E fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "must be one of " + String.join(", ", words(type)) + ", got '" + text + "'");
        }
    }

    /** The API's words for an enum's constants, for a select's options. */
    static List<String> words(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Forms::word).toList();
    }

    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The message for each field at fault (the first, when a field has several) of a refused
     * input: a validation error, or a clash on a field (a name taken). A clash with a state has
     * no field and goes under {@code ""}.
     */
    static Map<String, String> errors(RuntimeException refused) {
        var errors = new LinkedHashMap<String, String>();
        switch (refused) {
            case ValidationException invalid -> invalid.errors().forEach(error -> errors.putIfAbsent(error.field(), error.message()));
            case ConflictException conflict -> errors.put(conflict.field() == null ? "" : conflict.field(), conflict.getMessage());
            default -> throw refused;
        }
        return errors;
    }
}
