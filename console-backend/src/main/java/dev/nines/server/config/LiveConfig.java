package dev.nines.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The configuration in force: the config file's, with the pools that admins replaced over the API
 * ({@code PUT /api/v1/pools/{id}/config}) on top. A replacement is validated as a whole (the same
 * rules as the file, and against every other pool: a host may be claimed by one pool only) before
 * it takes effect; listeners hear of every change. Thread-safe: readers see one consistent {@link
 * ServerConfig} at a time.
 */
public final class LiveConfig implements Supplier<ServerConfig> {
  private final ServerConfig file;
  private final Map<String, PoolSettings> overrides = new TreeMap<>();
  private final List<Consumer<ServerConfig>> listeners = new CopyOnWriteArrayList<>();
  private volatile ServerConfig current;

  /**
   * @param file the config file's content (or the defaults)
   * @param overrides pools replaced by admins, already parsed (from the store), by name
   */
  public LiveConfig(ServerConfig file, Map<String, PoolSettings> overrides) {
    this.file = file;
    this.overrides.putAll(overrides);
    this.current = merge(file, this.overrides);
  }

  /** A fixed configuration (tests, tools). */
  public static LiveConfig of(ServerConfig config) {
    return new LiveConfig(config, Map.of());
  }

  @Override
  public ServerConfig get() {
    return current;
  }

  /** The config file's content, without the API's replacements. */
  public ServerConfig file() {
    return file;
  }

  /** True when admins replaced this pool's settings over the API. */
  public synchronized boolean overridden(String pool) {
    return overrides.containsKey(pool);
  }

  /**
   * Parses a pool's section (YAML or JSON, the same keys as the config file) against the
   * server-wide rules. Pure.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public PoolSettings parsePool(String pool, String text) {
    return ServerConfig.parsePool(pool, text, file.rules());
  }

  /**
   * Checks that replacing {@code pool}'s settings keeps the whole configuration valid; returns the
   * configuration it would give, and changes nothing.
   *
   * @throws IllegalArgumentException naming the conflict
   */
  public synchronized ServerConfig check(String pool, PoolSettings settings) {
    Map<String, PoolSettings> next = new TreeMap<>(overrides);
    next.put(pool, settings);
    return merge(file, next);
  }

  /** Replaces a pool's settings (validated as {@link #check}) and tells the listeners. */
  public void replace(String pool, PoolSettings settings) {
    replace(pool, settings, () -> {});
  }

  /**
   * As {@link #replace(String, PoolSettings)}, running {@code persist} (storing the new settings)
   * after the check and before they take effect, under the same lock: two admins cannot both pass
   * the check with settings that conflict.
   */
  public void replace(String pool, PoolSettings settings, Runnable persist) {
    ServerConfig next;
    synchronized (this) {
      next = check(pool, settings);
      persist.run();
      overrides.put(pool, settings);
      current = next;
    }
    notifyListeners(next);
  }

  /** Drops the API's replacement of a pool (back to the file's settings); false when there was none. */
  public boolean revert(String pool) {
    return revert(pool, () -> {});
  }

  /** As {@link #revert(String)}, running {@code persist} under the lock before it takes effect. */
  public boolean revert(String pool, Runnable persist) {
    ServerConfig next;
    synchronized (this) {
      if (!overrides.containsKey(pool)) {
        return false;
      }
      persist.run();
      overrides.remove(pool);
      next = merge(file, overrides);
      current = next;
    }
    notifyListeners(next);
    return true;
  }

  /**
   * Takes the pools' replacements as stored now (another replica may have changed them while this
   * one followed): the configuration becomes the file's with {@code stored} on top, and the
   * listeners hear of it when it changed. Returns whether it changed.
   *
   * @param stored the replacements read from the store, already parsed and valid together
   */
  public boolean reload(Map<String, PoolSettings> stored) {
    ServerConfig next;
    synchronized (this) {
      if (overrides.equals(stored)) {
        return false;
      }
      next = merge(file, stored);
      overrides.clear();
      overrides.putAll(stored);
      current = next;
    }
    notifyListeners(next);
    return true;
  }

  /** Called with the new configuration after every change (on the changing thread). */
  public void addListener(Consumer<ServerConfig> listener) {
    listeners.add(listener);
  }

  private void notifyListeners(ServerConfig next) {
    for (Consumer<ServerConfig> l : listeners) {
      l.accept(next);
    }
  }

  private static ServerConfig merge(ServerConfig file, Map<String, PoolSettings> overrides) {
    Map<String, PoolSettings> pools = new LinkedHashMap<>(file.pools());
    pools.putAll(overrides);
    return new ServerConfig(file.rules(), pools, file.alerts());
  }
}
