package dev.nines.server.health;

import java.util.Map;

/**
 * Health rules for the whole server: the defaults and the pools that override them.
 *
 * @param defaults rules for hosts whose pool has no override (and hosts with no pool)
 * @param pools per-pool rules, by pool name; each is a complete {@link HealthRules}
 * @param membership the pool a host belongs to, from its id and labels (the config's members,
 *     sides and selectors, else the {@code pool} label)
 */
public record HealthConfig(
    HealthRules defaults, Map<String, HealthRules> pools,
    java.util.function.BiFunction<String, Map<String, String>, String> membership) {

  /** Pools from the {@code pool} label only. */
  public HealthConfig(HealthRules defaults, Map<String, HealthRules> pools) {
    this(defaults, pools, null);
  }

  public HealthConfig {
    if (defaults == null) {
      throw new IllegalArgumentException("health.defaults is required");
    }
    if (pools == null) {
      pools = Map.of();
    }
    for (Map.Entry<String, HealthRules> e : pools.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("health.pools must not hold a blank pool name");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("health.pools." + e.getKey() + " must not be empty");
      }
    }
    pools = Map.copyOf(pools);
    if (membership == null) {
      membership = (id, labels) -> labels == null ? null : labels.get("pool");
    }
  }

  /** The pool a host belongs to. */
  public String poolOf(String hostId, Map<String, String> labels) {
    return membership.apply(hostId, labels);
  }

  /** The documented defaults for every pool. */
  public static HealthConfig defaultsOnly() {
    return new HealthConfig(HealthRules.defaults(), Map.of());
  }

  /** The rules for a pool; the defaults when the pool is null or has no override. */
  public HealthRules rulesFor(String pool) {
    return pool == null ? defaults : pools.getOrDefault(pool, defaults);
  }
}
