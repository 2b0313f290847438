package dev.mailroom.store;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** One page of a list ordered by id, and the cursor (the last id) to ask for the next one. */
public record Page<T>(List<T> data, String nextCursor) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), nextCursor);
    }

    /** Builds a page from rows fetched with {@code limit + 1}: the extra row only says more exist. */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        var data = rows.subList(0, limit);
        return new Page<>(List.copyOf(data), id.apply(data.getLast()));
    }

    /** A paged listing: the page after {@code after} (null: the first), of at most {@code limit} rows. */
    public interface Source<T> {
        Page<T> page(String after, int limit);
    }

    /** Every row of a listing, read a page at a time, so that memory holds one page however long the list. */
    public static <T> void forEach(Source<T> source, Consumer<? super T> action) {
        String cursor = null;
        do {
            var page = source.page(cursor, MAX_LIMIT);
            page.data().forEach(action);
            cursor = page.nextCursor();
        } while (cursor != null);
    }
}
