package dev.nines.server.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of a newest-first list ends: the time and id of its last (oldest) item. The next
 * page holds the items strictly before it in (time, id) order. Travels as an opaque cursor string.
 *
 * @param atMs the last item's time (epoch ms)
 * @param id the last item's id
 */
public record PageKey(long atMs, String id) {
  public PageKey {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
  }

  /** The opaque cursor for this key. */
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((atMs + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a cursor made by {@link #encode()}.
   *
   * @throws IllegalArgumentException naming {@code cursor} when it was not made by this server
   */
  public static PageKey decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return new PageKey(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cursor: '" + cursor + "' is not a cursor this server gave out");
    }
  }
}
