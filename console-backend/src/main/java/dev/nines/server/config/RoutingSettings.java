package dev.nines.server.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a pool's hosts are routed: who belongs to it, its sides for failover, the automatic policy's
 * knobs, and the actuators that move traffic (HAProxy's runtime API, a webhook). The agent's own
 * {@code /ready} and agent-check follow every pool's routing without configuration.
 *
 * @param members host ids that belong to the pool whatever their {@code pool} label says
 * @param selector labels a host must all carry to belong to the pool (empty: none); hosts that
 *     report with {@code pool=<name>} belong to it too
 * @param sides the two sides of a pool that fails over ({@code primary}/{@code standby} or {@code
 *     blue}/{@code green}, each a list of host ids), in the file's order; empty when it has none
 * @param activeSide the side in rotation at the first start (later failovers are stored), or null
 * @param autoDrain the policy drains hosts that stay UNHEALTHY
 * @param hysteresis how long a fault must last before the policy acts
 * @param cooldown at most one automatic drain (and one automatic failover) per pool per cooldown
 * @param recovery how long a host the policy drained must stay HEALTHY before it is undrained
 * @param autoFailover the policy fails the pool over when its active side falls below the guard
 * @param quarantine a fatal XID or a new uncorrectable ECC error puts the host in MAINTENANCE
 * @param quarantineRelease how long a quarantined host must stay HEALTHY to be released by the
 *     policy, or null: only an operator releases it
 * @param startupGrace after the backend starts, silent hosts are not acted on for this long
 * @param drainTimeout how long a graceful drain waits for in-flight requests before DRAINED
 * @param failoverTimeout how long a failover waits for the standby side to become healthy
 * @param haproxy the HAProxy backend the pool's hosts are servers of, or null
 * @param webhook where each of the pool's routing changes is POSTed, or null
 * @param drainDegradedBy health rules that make a DEGRADED host a drain candidate (default {@code
 *     latency-vs-pool}: a gray failure)
 */
public record RoutingSettings(
    List<String> members,
    Map<String, String> selector,
    Map<String, List<String>> sides,
    String activeSide,
    boolean autoDrain,
    Duration hysteresis,
    Duration cooldown,
    Duration recovery,
    boolean autoFailover,
    boolean quarantine,
    Duration quarantineRelease,
    Duration startupGrace,
    Duration drainTimeout,
    Duration failoverTimeout,
    Haproxy haproxy,
    Webhook webhook,
    java.util.Set<String> drainDegradedBy) {

  /** The rules that can make a host DEGRADED, which {@code drainDegradedBy} may name. */
  public static final List<String> DEGRADING_RULES =
      List.of(
          dev.nines.server.health.RuleIds.LATENCY_VS_POOL, dev.nines.server.health.RuleIds.LATENCY_ABSOLUTE,
          dev.nines.server.health.RuleIds.ERROR_RATIO, dev.nines.server.health.RuleIds.GPU_TEMPERATURE,
          dev.nines.server.health.RuleIds.MEMORY);
  public static final java.util.Set<String> DEFAULT_DRAIN_DEGRADED_BY =
      java.util.Set.of(dev.nines.server.health.RuleIds.LATENCY_VS_POOL);

  /** The side names a pool may use, in pairs. */
  public static final List<List<String>> SIDE_PAIRS = List.of(List.of("primary", "standby"), List.of("blue", "green"));

  public static final Duration DEFAULT_HYSTERESIS = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECOVERY = Duration.ofMinutes(10);
  public static final Duration DEFAULT_STARTUP_GRACE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofMinutes(2);

  /**
   * The pool's servers in an HAProxy backend, driven over the runtime API.
   *
   * @param runtime the stats socket: {@code unix:/path}, {@code /path}, {@code tcp:host:port} or
   *     {@code host:port}
   * @param backend the HAProxy backend name
   * @param servers host id to server name; a host not listed is the server named like its id
   */
  public record Haproxy(String runtime, String backend, Map<String, String> servers) {
    public Haproxy {
      if (runtime == null || runtime.isBlank()) {
        throw new IllegalArgumentException("haproxy.runtime is required");
      }
      if (backend == null || backend.isBlank()) {
        throw new IllegalArgumentException("haproxy.backend is required");
      }
      servers = servers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    /** The server name of a host in the backend. */
    public String serverOf(String hostId) {
      return servers.getOrDefault(hostId, hostId);
    }
  }

  /**
   * A receiver of routing changes (a Kubernetes operator, another load balancer).
   *
   * @param url where to POST
   * @param secret the HMAC-SHA256 key that signs each body
   */
  public record Webhook(String url, String secret) {
    public Webhook {
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new IllegalArgumentException("webhook.url must be an http:// or https:// URL (was " + url + ")");
      }
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException("webhook.secret must be at least 16 characters");
      }
    }

    @Override
    public String toString() {
      return "Webhook[url=" + url + ", secret=***]";
    }
  }

  public RoutingSettings {
    members = members == null ? List.of() : List.copyOf(members);
    selector = selector == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(selector));
    sides = sides == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sides));
    if (!sides.isEmpty()) {
      List<String> names = List.copyOf(sides.keySet());
      boolean known =
          SIDE_PAIRS.stream().anyMatch(p -> p.size() == names.size() && p.containsAll(names));
      if (!known) {
        throw new IllegalArgumentException(
            "sides must be primary and standby, or blue and green (was " + String.join(", ", names) + ")");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Map.Entry<String, List<String>> e : sides.entrySet()) {
        if (e.getValue() == null || e.getValue().isEmpty()) {
          throw new IllegalArgumentException("sides." + e.getKey() + " must list at least one host id");
        }
        for (String h : e.getValue()) {
          if (!seen.add(h)) {
            throw new IllegalArgumentException("sides: host " + h + " is on both sides or listed twice");
          }
        }
      }
      if (activeSide == null) {
        activeSide = names.get(0);
      } else if (!sides.containsKey(activeSide)) {
        throw new IllegalArgumentException(
            "activeSide must be one of " + String.join(", ", names) + " (was " + activeSide + ")");
      }
    } else if (activeSide != null) {
      throw new IllegalArgumentException("activeSide needs sides");
    }
    nonNegative("hysteresis", hysteresis);
    nonNegative("cooldown", cooldown);
    nonNegative("recovery", recovery);
    nonNegative("startupGrace", startupGrace);
    positive("drainTimeout", drainTimeout);
    positive("failoverTimeout", failoverTimeout);
    if (quarantineRelease != null) {
      positive("quarantineRelease", quarantineRelease);
    }
    drainDegradedBy = drainDegradedBy == null ? DEFAULT_DRAIN_DEGRADED_BY : java.util.Set.copyOf(drainDegradedBy);
    for (String rule : drainDegradedBy) {
      if (!DEGRADING_RULES.contains(rule)) {
        throw new IllegalArgumentException(
            "drainDegradedBy: " + rule + " is not a rule that makes a host DEGRADED (known: "
                + String.join(", ", DEGRADING_RULES) + ")");
      }
    }
  }

  /** No sides, no actuators but the agents, the documented defaults. */
  public static RoutingSettings defaults() {
    return new RoutingSettings(
        List.of(), Map.of(), Map.of(), null, true, DEFAULT_HYSTERESIS, DEFAULT_COOLDOWN, DEFAULT_RECOVERY,
        true, true, null, DEFAULT_STARTUP_GRACE, DEFAULT_DRAIN_TIMEOUT, DEFAULT_FAILOVER_TIMEOUT, null, null,
        DEFAULT_DRAIN_DEGRADED_BY);
  }

  /** True when this pool fails over between two sides. */
  public boolean hasSides() {
    return !sides.isEmpty();
  }

  /** The side a host is on, or null. */
  public String sideOf(String hostId) {
    for (Map.Entry<String, List<String>> e : sides.entrySet()) {
      if (e.getValue().contains(hostId)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The other side's name, or null when the pool has no sides. */
  public String otherSide(String side) {
    for (String s : sides.keySet()) {
      if (!s.equals(side)) {
        return s;
      }
    }
    return null;
  }

  /** True when the host is named by {@link #members}, a side, or matches a non-empty selector. */
  public boolean claims(String hostId, Map<String, String> labels) {
    if (members.contains(hostId) || sideOf(hostId) != null) {
      return true;
    }
    if (selector.isEmpty() || labels == null) {
      return false;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static void nonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration >= 0 (was " + d + ")");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a duration > 0 (was " + d + ")");
    }
  }
}
