package dev.nines.server.store;

/**
 * One line of the audit log.
 *
 * @param id a unique id (made by the application)
 * @param atMs when it happened (epoch ms)
 * @param actor who did it: {@code token:<token id>}, {@code cli:<user>} or {@code system}
 * @param actorName the token's name or the user, as it was then (may be empty, never null)
 * @param action what was done, dotted lower case: {@code token.create}, {@code host.drain}
 * @param target what it was done to: a token id, a host id, a pool id (may be empty, never null)
 * @param detailJson a JSON object with the particulars
 */
public record AuditRecord(
    String id, long atMs, String actor, String actorName, String action, String target, String detailJson) {
  public AuditRecord {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (actor == null || actor.isEmpty()) {
      throw new IllegalArgumentException("actor is required");
    }
    if (actorName == null) {
      throw new IllegalArgumentException("actorName must not be null (may be empty)");
    }
    if (action == null || action.isEmpty()) {
      throw new IllegalArgumentException("action is required");
    }
    if (target == null) {
      throw new IllegalArgumentException("target must not be null (may be empty)");
    }
    if (detailJson == null || !detailJson.startsWith("{")) {
      throw new IllegalArgumentException("detailJson must be a JSON object");
    }
  }
}
