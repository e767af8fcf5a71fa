package dev.nines.server.incident;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One line of an incident's timeline.
 *
 * @param at when it happened
 * @param type {@code opened}, {@code changed}, {@code action} or {@code closed}
 * @param state the subject's state after it (a {@code Health} or {@code PoolState} name), or null for
 *     an action
 * @param text a sentence for people
 * @param detail the figures behind it (rule ids, figures, members), JSON-ready: strings, numbers,
 *     lists and maps; never null
 */
public record TimelineEntry(Instant at, String type, String state, String text, Map<String, Object> detail) {
  public static final String OPENED = "opened";
  public static final String CHANGED = "changed";
  public static final String ACTION = "action";
  public static final String CLOSED = "closed";
  private static final Set<String> TYPES = Set.of(OPENED, CHANGED, ACTION, CLOSED);

  public TimelineEntry {
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be one of " + TYPES + " (was " + type + ")");
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("text is required");
    }
    detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }
}
