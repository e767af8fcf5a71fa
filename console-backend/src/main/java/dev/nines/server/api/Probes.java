package dev.nines.server.api;

import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz} (the process answers) and {@code GET /readyz} (it can serve). No auth. */
public final class Probes {
  private final BooleanSupplier ready;
  private final java.util.function.Supplier<Map<String, Object>> details;

  /** @param ready true when the database answers and the writer runs */
  public Probes(BooleanSupplier ready) {
    this(ready, Map::of);
  }

  /**
   * @param ready true when the database answers and the writer runs
   * @param details added to the answer of {@code /readyz} (this replica's role and its leader)
   */
  public Probes(BooleanSupplier ready, java.util.function.Supplier<Map<String, Object>> details) {
    this.ready = ready;
    this.details = details;
  }

  public void healthz(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  public void readyz(Context ctx) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    if (ready.getAsBoolean()) {
      out.put("status", "ready");
      out.putAll(details.get());
      ctx.json(out);
    } else {
      out.put("status", "not ready");
      out.put("error", "not ready");
      out.put("detail", "the database or the report writer does not answer");
      out.putAll(details.get());
      ctx.status(503).json(out);
    }
  }
}
