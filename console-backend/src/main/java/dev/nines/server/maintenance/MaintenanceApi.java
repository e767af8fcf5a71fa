package dev.nines.server.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.api.ApiException;
import dev.nines.server.api.CursorPage;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maintenance windows over HTTP:
 *
 * <ul>
 *   <li>{@code GET /api/v1/maintenance-windows?active=&pool=&host=&limit=&cursor=} (readers): newest
 *       first, paginated; {@code active=true} keeps the windows not cancelled and under way or still
 *       to come ({@code false}: the others); {@code host} keeps those naming the host or covering its
 *       pool. Each with its current and next occurrence.
 *   <li>{@code GET /api/v1/maintenance-windows/{id}} (readers).
 *   <li>{@code POST /api/v1/maintenance-windows} (operators): 201 and the window; 400 naming the
 *       field for anything wrong, and nothing stored.
 *   <li>{@code DELETE /api/v1/maintenance-windows/{id}} (operators): cancels it now; 200 and the
 *       window (also when it was cancelled already: nothing changes then).
 * </ul>
 */
public final class MaintenanceApi {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final MaintenanceCalendar calendar;
  private final Store store;
  private final Access access;
  private final ObjectMapper json;
  private final Clock clock;

  public MaintenanceApi(MaintenanceCalendar calendar, Store store, Access access, ObjectMapper json, Clock clock) {
    this.calendar = calendar;
    this.store = store;
    this.access = access;
    this.json = json;
    this.clock = clock;
  }

  /** {@code GET /api/v1/maintenance-windows}. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    Boolean active = active(ctx.queryParam("active"));
    String pool = blankToNull(ctx.queryParam("pool"));
    String host = blankToNull(ctx.queryParam("host"));
    int limit = limit(ctx.queryParam("limit"));
    PageKey after = cursor(ctx.queryParam("cursor"));
    String poolOfHost = host == null ? null : store.host(host).map(HostRecord::pool).orElse(null);
    Instant now = clock.instant();
    List<Maintenance> rows = new ArrayList<>();
    for (Maintenance m : calendar.all()) {
      if (!MaintenanceCalendar.matches(m, pool, host, poolOfHost)) {
        continue;
      }
      if (active != null && m.activeAt(now) != active) {
        continue;
      }
      if (after != null && !before(m, after)) {
        continue;
      }
      rows.add(m);
    }
    rows.sort(Comparator.comparing(Maintenance::createdAt).thenComparing(Maintenance::id).reversed());
    boolean more = rows.size() > limit;
    List<Maintenance> page = more ? rows.subList(0, limit) : rows;
    String next = null;
    if (more) {
      Maintenance last = page.get(page.size() - 1);
      next = new PageKey(last.createdAt().toEpochMilli(), last.id()).encode();
    }
    ctx.json(new CursorPage<>(page.stream().map(m -> MaintenanceView.of(m, now)).toList(), next));
  }

  /** {@code GET /api/v1/maintenance-windows/{id}}. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    ctx.json(MaintenanceView.of(known(ctx.pathParam("id")), clock.instant()));
  }

  /** {@code POST /api/v1/maintenance-windows}. */
  public void create(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    String text = ctx.body();
    if (text == null || text.isBlank()) {
      throw new ApiException(400, "invalid body", "expected a JSON object: pool or hosts, a schedule and a comment");
    }
    JsonNode body;
    try {
      body = json.readTree(text);
    } catch (IOException e) {
      throw new ApiException(400, "invalid body", "not valid JSON");
    }
    MaintenanceSpec spec;
    try {
      spec = MaintenanceJson.parse(body);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid body", e.getMessage());
    }
    Maintenance m = calendar.create(spec, caller.actor());
    ctx.status(201).json(MaintenanceView.of(m, clock.instant()));
  }

  /** {@code DELETE /api/v1/maintenance-windows/{id}}. */
  public void cancel(Context ctx) {
    Principal caller = access.require(ctx, Access.OPERATORS);
    String id = ctx.pathParam("id");
    Maintenance m =
        calendar.cancel(id, caller.actor()).orElseThrow(() -> unknown(id));
    ctx.json(MaintenanceView.of(m, clock.instant()));
  }

  private Maintenance known(String id) {
    return calendar.get(id).orElseThrow(() -> unknown(id));
  }

  private static ApiException unknown(String id) {
    return new ApiException(404, "unknown maintenance window", "no maintenance window with id '" + id + "'");
  }

  /** Whether {@code m} comes strictly after the cursor in newest-first (created, id) order. */
  private static boolean before(Maintenance m, PageKey after) {
    long at = m.createdAt().toEpochMilli();
    return at < after.atMs() || (at == after.atMs() && m.id().compareTo(after.id()) < 0);
  }

  static Boolean active(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.strip().equals("true")) {
      return Boolean.TRUE;
    }
    if (v.strip().equals("false")) {
      return Boolean.FALSE;
    }
    throw new ApiException(400, "invalid parameter", "active must be true or false (was '" + v + "')");
  }

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

  private static PageKey cursor(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return PageKey.decode(v.strip());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid parameter", e.getMessage());
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
