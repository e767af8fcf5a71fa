package dev.nines.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nines.server.health.HealthConfig;
import dev.nines.server.health.HealthRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's YAML configuration ({@code nines server --config FILE}), built once and frozen.
 *
 * <pre>
 * rules:                 # overrides of the health rule defaults, for every pool
 *   staleAfterIntervals: 3
 *   staleGrace: 60s
 * pools:
 *   chat:
 *     slo: {target: 0.999, period: 30d}
 *     minActive: 2       # or minActiveFraction: 0.5
 *     degraded: up       # up | down | a weight in [0, 1]
 *     rules: {failAfter: 1}   # on top of the rules above
 * </pre>
 *
 * Every key is optional; unknown keys, wrong types and values out of range are refused with an
 * {@link IllegalArgumentException} whose message names the key's path ({@code pools.chat.slo.target
 * must be in (0, 1) (was 1.5)}).
 *
 * @param rules the server-wide health rules (defaults with the file's overrides)
 * @param pools the pools the file names, by name
 * @param alerts the {@code alerts:} section (alert rules and their per-pool overrides)
 */
public record ServerConfig(HealthRules rules, Map<String, PoolSettings> pools, AlertSettings alerts) {
  /** Without an {@code alerts:} section: the alert rules' defaults. */
  public ServerConfig(HealthRules rules, Map<String, PoolSettings> pools) {
    this(rules, pools, AlertSettings.defaults());
  }

  public ServerConfig {
    if (alerts == null) {
      alerts = AlertSettings.defaults();
    }
    if (rules == null) {
      throw new IllegalArgumentException("rules is required");
    }
    if (pools == null) {
      throw new IllegalArgumentException("pools is required (may be empty)");
    }
    for (Map.Entry<String, PoolSettings> e : pools.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("pools must not hold a blank pool name");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("pools." + e.getKey() + " must not be null");
      }
    }
    pools = java.util.Collections.unmodifiableMap(new TreeMap<>(pools));
    Map<String, String> claimedBy = new java.util.HashMap<>();
    for (Map.Entry<String, PoolSettings> e : pools.entrySet()) {
      RoutingSettings r = e.getValue().routing();
      java.util.Set<String> ids = new java.util.LinkedHashSet<>(r.members());
      r.sides().values().forEach(ids::addAll);
      for (String id : ids) {
        String other = claimedBy.putIfAbsent(id, e.getKey());
        if (other != null) {
          throw new IllegalArgumentException(
              "pools." + e.getKey() + ": host " + id + " is already a member of pool " + other);
        }
      }
    }
  }

  /** No file: the documented defaults everywhere. */
  public static ServerConfig defaults() {
    return new ServerConfig(HealthRules.defaults(), Map.of());
  }

  /**
   * Reads and parses a config file.
   *
   * @throws IllegalArgumentException when the file is missing or unreadable, or its content is
   *     refused; the message starts with {@code config FILE:}
   */
  public static ServerConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config: no such file: " + file);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("config " + file + ": cannot be read: " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the YAML text of a config. Pure.
   *
   * @throws IllegalArgumentException naming the offending key's path
   */
  public static ServerConfig parse(String yaml) {
    try {
      return ConfigParser.parse(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
  }

  /**
   * Parses one pool's section (YAML or JSON, the keys of {@code pools.<name>} in the file) on top of
   * {@code rules}. Pure.
   *
   * @throws IllegalArgumentException naming the offending key as {@code pools.<name>.<key>}
   */
  public static PoolSettings parsePool(String name, String text, HealthRules rules) {
    try {
      return ConfigParser.pool(text, "pools." + name, rules);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML or JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
  }

  /** A pool's effective settings with the config file's keys (webhook secrets masked), for the API. */
  public static Map<String, Object> describePool(PoolSettings settings) {
    return ConfigParser.describe(settings);
  }

  /** The settings of a pool: the configured ones, or the defaults with the server-wide rules. */
  public PoolSettings pool(String name) {
    PoolSettings p = pools.get(name);
    return p != null ? p : PoolSettings.defaults(rules);
  }

  /**
   * The pool a host belongs to: the first configured pool (by name) that claims it by id, side or
   * label selector, else its {@code pool} label, else null.
   */
  public String poolOf(String hostId, Map<String, String> labels) {
    for (Map.Entry<String, PoolSettings> e : pools.entrySet()) {
      if (e.getValue().routing().claims(hostId, labels)) {
        return e.getKey();
      }
    }
    return labels == null ? null : labels.get("pool");
  }

  /** The health rules for {@code HealthWatch}: the server-wide rules and every configured pool's. */
  public HealthConfig healthConfig() {
    Map<String, HealthRules> perPool = new LinkedHashMap<>();
    pools.forEach((name, p) -> perPool.put(name, p.rules()));
    return new HealthConfig(rules, perPool, this::poolOf);
  }
}
