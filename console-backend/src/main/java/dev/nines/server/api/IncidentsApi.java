package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.auth.Access;
import dev.nines.server.store.IncidentEventRecord;
import dev.nines.server.store.IncidentQuery;
import dev.nines.server.store.IncidentRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.nines.server.store.PageKey;

/**
 * {@code GET /api/v1/incidents?state=open|closed|all&kind=host|pool&subject=&from=&to=&limit=&cursor=}
 * (newest first, paginated) and {@code GET /api/v1/incidents/{id}} (with its timeline).
 */
public final class IncidentsApi {

  private final Store store;
  private final Access access;
  private final ObjectMapper json;

  public IncidentsApi(Store store, Access access, ObjectMapper json) {
    this.store = store;
    this.access = access;
    this.json = json;
  }

  /** One action taken during an incident. */
  public record ActionView(long at, String text) {}

  /** A timeline line. */
  public record EntryView(long at, String type, String state, String text, JsonNode detail) {}

  /**
   * An incident. {@code closedAt} and {@code durationMs} are null while it is open; {@code timeline}
   * is null in lists.
   */
  public record IncidentView(
      long id, String kind, String subject, String state, String severity, String currentState, long openedAt,
      Long closedAt, Long durationMs, JsonNode cause, List<ActionView> actions, List<EntryView> timeline) {}

  /** The list route. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    IncidentQuery q = query(ctx.queryParamMap());
    List<IncidentRecord> rows = store.incidents(new IncidentQuery(
        q.state(), q.kind(), q.subject(), q.fromMs(), q.toMs(), q.limit() + 1, q.afterOpenedAtMs(), q.afterId()));
    List<IncidentRecord> page = rows.size() > q.limit() ? rows.subList(0, q.limit()) : rows;
    Map<Long, List<IncidentEventRecord>> actions =
        store.incidentEvents(page.stream().map(IncidentRecord::id).toList(), "action");
    ctx.json(
        CursorPage.of(
            rows, q.limit(), r -> new PageKey(r.openedAtMs(), Long.toString(r.id())),
            r -> view(r, actions.getOrDefault(r.id(), List.of()), null)));
  }

  /** The one-incident route: 400 for an id that is not a number, 404 for an unknown one. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    String raw = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid parameter", "id: '" + raw + "' is not an incident id (a number)");
    }
    IncidentRecord r =
        store.incident(id).orElseThrow(() -> new ApiException(404, "unknown incident", "no incident with id " + id));
    List<IncidentEventRecord> timeline = store.incidentEvents(List.of(id), null).getOrDefault(id, List.of());
    List<IncidentEventRecord> actions = timeline.stream().filter(e -> "action".equals(e.type())).toList();
    List<EntryView> entries = new ArrayList<>();
    for (IncidentEventRecord e : timeline) {
      entries.add(new EntryView(e.atMs(), e.type(), e.state(), e.text(), tree(e.detailJson(), id)));
    }
    ctx.json(view(r, actions, entries));
  }

  /** Reads and checks the list's query parameters (400 naming the bad one). Pure. */
  static IncidentQuery query(Map<String, List<String>> params) {
    String state = first(params, "state");
    if (state == null || state.equals("all")) {
      state = null;
    } else if (!state.equals("open") && !state.equals("closed")) {
      throw new ApiException(400, "invalid parameter", "state: '" + state + "' must be open, closed or all");
    }
    String kind = first(params, "kind");
    if (kind != null && !kind.equals("host") && !kind.equals("pool")) {
      throw new ApiException(400, "invalid parameter", "kind: '" + kind + "' must be host or pool");
    }
    String subject = first(params, "subject");
    String fromRaw = first(params, "from");
    String toRaw = first(params, "to");
    Long from = fromRaw == null ? null : HostsApi.instant("from", fromRaw, 0);
    Long to = toRaw == null ? null : HostsApi.instant("to", toRaw, 0);
    if (from != null && to != null && from >= to) {
      throw new ApiException(400, "invalid parameter", "from (" + from + ") must be before to (" + to + ")");
    }
    int limit = CursorPage.limit(first(params, "limit"));
    PageKey cursor = CursorPage.cursor(first(params, "cursor"));
    Long afterOpenedAt = null;
    Long afterId = null;
    if (cursor != null) {
      afterOpenedAt = cursor.atMs();
      try {
        afterId = Long.parseLong(cursor.id());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "invalid parameter", "cursor: not a cursor this list gave out");
      }
    }
    return new IncidentQuery(state, kind, subject, from, to, limit, afterOpenedAt, afterId);
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.get(0).isBlank()) {
      return null;
    }
    return values.get(0).strip();
  }

  private IncidentView view(IncidentRecord r, List<IncidentEventRecord> actions, List<EntryView> timeline) {
    List<ActionView> acts = actions.stream().map(a -> new ActionView(a.atMs(), a.text())).toList();
    Long duration = r.closedAtMs() == null ? null : Math.max(0, r.closedAtMs() - r.openedAtMs());
    return new IncidentView(
        r.id(), r.kind(), r.subject(), r.state(), r.severity(), r.currentState(), r.openedAtMs(), r.closedAtMs(),
        duration, tree(r.causeJson(), r.id()), acts, timeline);
  }

  private JsonNode tree(String text, long id) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored incident " + id + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
