package dev.nines.server.api;

import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz} (the process answers) and {@code GET /readyz} (it can serve). No auth. */
public final class Probes {
  private final BooleanSupplier ready;

  /** @param ready true when the database answers and the writer runs */
  public Probes(BooleanSupplier ready) {
    this.ready = ready;
  }

  public void healthz(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  public void readyz(Context ctx) {
    if (ready.getAsBoolean()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      ctx.status(503)
          .json(Map.of("status", "not ready", "error", "not ready", "detail", "the database or the report writer does not answer"));
    }
  }
}
