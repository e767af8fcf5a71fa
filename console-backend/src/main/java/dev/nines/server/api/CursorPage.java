package dev.nines.server.api;

import dev.nines.server.store.PageKey;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list that can grow, newest first: {@code {"items": [...], "nextCursor": ...}}.
 * {@code nextCursor} is null on the last page. Requests read {@code limit} (default 100, 1..1000) and
 * {@code cursor} (opaque, from the previous page).
 */
public record CursorPage<T>(List<T> items, String nextCursor) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  public CursorPage {
    items = List.copyOf(items);
  }

  /** The {@code limit} query parameter; 400 naming it when it is not 1..1000. */
  static int limit(Context ctx) {
    return limit(ctx.queryParam("limit"));
  }

  /** A {@code limit} value (null: the default); 400 naming it when it is not 1..1000. */
  static int limit(String v) {
    if (v == null || v.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "invalid parameter", "limit: '" + v + "' must be a whole number 1.." + MAX_LIMIT);
  }

  /** The {@code cursor} query parameter, or null for the first page; 400 for one we did not give. */
  static PageKey cursor(Context ctx) {
    return cursor(ctx.queryParam("cursor"));
  }

  /** A {@code cursor} value, or null for the first page; 400 for one this server did not give. */
  static PageKey cursor(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return PageKey.decode(v.strip());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid parameter", e.getMessage());
    }
  }

  /**
   * A page from up to {@code limit + 1} rows read newest first: the extra row, when present, only
   * says that another page follows.
   */
  static <R, T> CursorPage<T> of(List<R> rows, int limit, Function<R, PageKey> key, Function<R, T> view) {
    boolean more = rows.size() > limit;
    List<R> page = more ? rows.subList(0, limit) : rows;
    String next = more ? key.apply(page.get(page.size() - 1)).encode() : null;
    return new CursorPage<>(page.stream().map(view).toList(), next);
  }
}
