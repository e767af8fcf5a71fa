package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.server.auth.Access;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/hosts} and {@code GET /api/v1/hosts/{id}}: the latest state of hosts. */
public final class HostsApi {
  private final Store store;
  private final Access access;
  private final Clock clock;
  private final ObjectMapper json;

  public HostsApi(Store store, Access access, Clock clock, ObjectMapper json) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.json = json;
  }

  /** Every host, ordered by id. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    long now = clock.millis();
    List<HostView> out = new ArrayList<>();
    for (HostRecord h : store.hosts()) {
      out.add(view(h, now));
    }
    ctx.json(out);
  }

  /** One host; 404 for an id never seen. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    HostRecord h =
        store.host(id).orElseThrow(() -> new ApiException(404, "unknown host", "no host with id '" + id + "'"));
    ctx.json(view(h, clock.millis()));
  }

  private HostView view(HostRecord h, long now) {
    AgentReport latest;
    try {
      latest = json.readValue(h.lastReportJson(), AgentReport.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored report of host " + h.id() + " cannot be read: " + e.getOriginalMessage(), e);
    }
    return HostView.of(h, latest, now);
  }
}
