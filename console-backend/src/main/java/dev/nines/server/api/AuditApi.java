package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.audit.Audit;
import dev.nines.server.auth.Access;
import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.StoreException;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/audit?from=&to=&actor=&action=&limit=&cursor=}: the audit log, newest first,
 * for operators and admins (viewers may read the fleet but not who did what).
 */
public final class AuditApi {
  private final Audit audit;
  private final Access access;
  private final ObjectMapper json;

  public AuditApi(Audit audit, Access access, ObjectMapper json) {
    this.audit = audit;
    this.access = access;
    this.json = json;
  }

  /** One line of the log; {@code at} in epoch ms, {@code detail} a JSON object. */
  public record AuditView(
      String id, long at, String actor, String actorName, String action, String target, JsonNode detail) {}

  /** The handler. {@code from}/{@code to}: ISO-8601 or epoch ms, {@code [from, to)}, both optional. */
  public void list(Context ctx) {
    access.require(ctx, Access.OPERATORS);
    Long from = bound("from", ctx.queryParam("from"));
    Long to = bound("to", ctx.queryParam("to"));
    if (from != null && to != null && from >= to) {
      throw new ApiException(400, "invalid parameter", "from (" + from + ") must be before to (" + to + ")");
    }
    int limit = CursorPage.limit(ctx);
    AuditQuery q =
        new AuditQuery(
            from, to, blankToNull(ctx.queryParam("actor")), blankToNull(ctx.queryParam("action")),
            CursorPage.cursor(ctx), limit + 1);
    ctx.json(CursorPage.of(audit.list(q), limit, a -> new PageKey(a.atMs(), a.id()), this::view));
  }

  private AuditView view(AuditRecord a) {
    try {
      return new AuditView(
          a.id(), a.atMs(), a.actor(), a.actorName(), a.action(), a.target(), json.readTree(a.detailJson()));
    } catch (JsonProcessingException e) {
      throw new StoreException("stored audit line " + a.id() + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  private static Long bound(String name, String value) {
    return value == null || value.isBlank() ? null : HostsApi.instant(name, value, 0);
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
