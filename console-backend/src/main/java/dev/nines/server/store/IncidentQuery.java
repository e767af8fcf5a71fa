package dev.nines.server.store;

/**
 * A page of incidents, newest first (by opened time, then id).
 *
 * @param state {@code open}, {@code closed}, or null for both
 * @param kind {@code host}, {@code pool}, or null for both
 * @param subject one host id or pool name, or null for all
 * @param fromMs with {@code toMs}: only incidents overlapping {@code [fromMs, toMs)}; null for no bound
 * @param toMs see {@code fromMs}; null for no bound
 * @param limit the most to return (>= 1)
 * @param afterOpenedAtMs with {@code afterId}: continue after this incident of the previous page
 *     (incidents opened before it, or at the same time with a smaller id); null for the first page
 * @param afterId see {@code afterOpenedAtMs}
 */
public record IncidentQuery(
    String state, String kind, String subject, Long fromMs, Long toMs, int limit, Long afterOpenedAtMs,
    Long afterId) {
  public IncidentQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (was " + limit + ")");
    }
    if ((afterOpenedAtMs == null) != (afterId == null)) {
      throw new IllegalArgumentException("afterOpenedAtMs and afterId go together");
    }
  }
}
