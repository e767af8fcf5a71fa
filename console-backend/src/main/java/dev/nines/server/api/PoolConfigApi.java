package dev.nines.server.api;

import dev.nines.server.audit.Audit;
import dev.nines.server.auth.Access;
import dev.nines.server.auth.Principal;
import dev.nines.server.config.LiveConfig;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.store.Store;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's settings over the API, the same keys as its section in the config file:
 *
 * <ul>
 *   <li>{@code GET /api/v1/pools/{id}/config} (readers): the effective settings, where they come
 *       from ({@code file}, {@code api} or {@code defaults}); webhook secrets are masked.
 *   <li>{@code PUT /api/v1/pools/{id}/config} (admins): replaces the pool's settings with the body
 *       (YAML or JSON; keys left out take their defaults, as in the file). Validated as a whole —
 *       unknown keys, wrong types, out-of-range values and a host claimed by another pool get a 400
 *       naming the key, and change nothing. Stored, audited, in force at once and after restarts.
 *   <li>{@code DELETE /api/v1/pools/{id}/config} (admins): back to the config file's settings.
 * </ul>
 */
public final class PoolConfigApi {
  /** Larger bodies are refused: a pool's section is a few hundred bytes. */
  static final int MAX_BODY = 64 * 1024;

  private final LiveConfig live;
  private final Store store;
  private final Audit audit;
  private final Access access;
  private final Clock clock;

  public PoolConfigApi(LiveConfig live, Store store, Audit audit, Access access, Clock clock) {
    this.live = live;
    this.store = store;
    this.audit = audit;
    this.access = access;
    this.clock = clock;
  }

  /** {@code GET /api/v1/pools/{id}/config}. */
  public void get(Context ctx) {
    access.require(ctx, Access.READERS);
    String pool = pool(ctx);
    ctx.json(view(pool));
  }

  /** {@code PUT /api/v1/pools/{id}/config}. */
  public void put(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String pool = pool(ctx);
    String body = ctx.body();
    if (body == null || body.isBlank()) {
      throw new ApiException(400, "invalid body", "expected the pool's settings (YAML or JSON), e.g. {\"minActive\": 2}");
    }
    if (body.length() > MAX_BODY) {
      throw new ApiException(413, "body too large", "a pool's settings may be at most " + MAX_BODY + " bytes");
    }
    try {
      PoolSettings settings = live.parsePool(pool, body);
      live.replace(pool, settings, () -> store.savePoolOverride(pool, body, clock.millis(), caller.actor().id()));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid pool settings", e.getMessage());
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("settings", body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
    audit.record(caller.actor(), "pool.config.replace", pool, detail);
    ctx.json(view(pool));
  }

  /** {@code DELETE /api/v1/pools/{id}/config}. */
  public void delete(Context ctx) {
    Principal caller = access.require(ctx, Access.ADMINS);
    String pool = pool(ctx);
    if (!live.revert(pool, () -> store.deletePoolOverride(pool))) {
      throw new ApiException(404, "no settings stored over the API", "pool " + pool + " uses the config file's settings");
    }
    audit.record(caller.actor(), "pool.config.revert", pool, Map.of());
    ctx.json(view(pool));
  }

  private Map<String, Object> view(String pool) {
    ServerConfig c = live.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pool", pool);
    out.put(
        "source",
        live.overridden(pool) ? "api" : live.file().pools().containsKey(pool) ? "file" : "defaults");
    out.put("settings", ServerConfig.describePool(c.pool(pool)));
    return out;
  }

  private static String pool(Context ctx) {
    String pool = ctx.pathParam("id");
    if (pool.isBlank() || pool.length() > 256) {
      throw new ApiException(400, "invalid pool name", "a pool name is 1..256 characters");
    }
    return pool;
  }
}
