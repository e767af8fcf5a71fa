package dev.nines.server.store;

/**
 * Which audit lines to read, newest first.
 *
 * @param fromMs oldest time included (epoch ms), or null for no bound
 * @param toMs first time excluded (epoch ms), or null for no bound
 * @param actor only this actor (exactly, e.g. {@code token:tok_1a2b}, or a token's name), or null
 * @param action only this action (exactly), or null
 * @param before start after this key (the previous page's last line), or null for the first page
 * @param limit the most lines, 1..1001 (a page of up to 1000, plus one to tell whether more follow)
 */
public record AuditQuery(Long fromMs, Long toMs, String actor, String action, PageKey before, int limit) {
  public AuditQuery {
    if (limit < 1 || limit > 1001) {
      throw new IllegalArgumentException("limit must be 1..1001 (was " + limit + ")");
    }
    if (fromMs != null && toMs != null && fromMs >= toMs) {
      throw new IllegalArgumentException("from (" + fromMs + ") must be before to (" + toMs + ")");
    }
  }
}
