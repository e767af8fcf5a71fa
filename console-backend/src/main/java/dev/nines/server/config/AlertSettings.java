package dev.nines.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code alerts:} section of the server config: every built-in alert rule's settings, and
 * per-pool overrides of them.
 *
 * <pre>
 * alerts:
 *   rules:
 *     host-down: {for: 30s}
 *     gpu-fault: {hold: 30m, severity: critical}
 *   pools:
 *     chat:
 *       host-degraded: {enabled: true}
 * </pre>
 *
 * A pool's override is applied on top of the server-wide rule (keys it leaves out keep theirs).
 *
 * @param rules every rule id's settings (defaults with the file's overrides)
 * @param pools per pool, the rules it overrides, fully resolved
 */
public record AlertSettings(Map<String, AlertRuleSettings> rules, Map<String, Map<String, AlertRuleSettings>> pools) {
  /** The rule ids, in the order the engine evaluates them. */
  public static final List<String> RULE_IDS =
      List.of(
          "host-down", "host-unhealthy", "host-degraded", "pool-capacity", "pool-redundancy", "slo-fast-burn",
          "slo-slow-burn", "gpu-hot", "gpu-fault", "gpu-lost", "latency-high", "error-ratio-high", "auto-action",
          "auto-action-refused", "receiver-dead-lettering");

  static final List<String> TOP_KEYS = List.of("rules", "pools");
  static final List<String> RULE_KEYS = List.of("enabled", "for", "severity", "hold", "minDeadLetters");

  public AlertSettings {
    if (rules == null || !rules.keySet().containsAll(RULE_IDS)) {
      throw new IllegalArgumentException("alerts.rules must hold every rule");
    }
    rules = Collections.unmodifiableMap(new TreeMap<>(rules));
    Map<String, Map<String, AlertRuleSettings>> p = new TreeMap<>();
    if (pools != null) {
      pools.forEach((k, v) -> p.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    }
    pools = Collections.unmodifiableMap(p);
  }

  /** The built-in defaults. */
  public static AlertSettings defaults() {
    Map<String, AlertRuleSettings> m = new LinkedHashMap<>();
    Duration hold = Duration.ofMinutes(15);
    m.put("host-down", rule(true, Duration.ZERO, "critical"));
    m.put("host-unhealthy", rule(true, Duration.ofSeconds(30), "critical"));
    m.put("host-degraded", rule(false, Duration.ofMinutes(1), "warning"));
    m.put("pool-capacity", rule(true, Duration.ZERO, "critical"));
    m.put("pool-redundancy", rule(true, Duration.ofMinutes(1), "warning"));
    m.put("slo-fast-burn", rule(true, Duration.ZERO, "critical"));
    m.put("slo-slow-burn", rule(true, Duration.ZERO, "warning"));
    m.put("gpu-hot", rule(true, Duration.ofMinutes(1), "warning"));
    m.put("gpu-fault", new AlertRuleSettings(true, Duration.ZERO, "critical", hold, 1));
    m.put("gpu-lost", rule(true, Duration.ZERO, "critical"));
    m.put("latency-high", rule(true, Duration.ofMinutes(1), "warning"));
    m.put("error-ratio-high", rule(true, Duration.ofMinutes(1), "warning"));
    m.put("auto-action", new AlertRuleSettings(true, Duration.ZERO, "info", hold, 1));
    m.put("auto-action-refused", new AlertRuleSettings(true, Duration.ZERO, "warning", hold, 1));
    m.put("receiver-dead-lettering", rule(true, Duration.ZERO, "warning"));
    return new AlertSettings(m, Map.of());
  }

  private static AlertRuleSettings rule(boolean enabled, Duration forDuration, String severity) {
    return new AlertRuleSettings(enabled, forDuration, severity, Duration.ofMinutes(15), 1);
  }

  /** The settings of {@code rule} for {@code pool} (null: the server-wide ones). */
  public AlertRuleSettings settings(String rule, String pool) {
    if (pool != null) {
      Map<String, AlertRuleSettings> p = pools.get(pool);
      if (p != null && p.containsKey(rule)) {
        return p.get(rule);
      }
    }
    AlertRuleSettings s = rules.get(rule);
    if (s == null) {
      throw new IllegalArgumentException("unknown alert rule " + rule);
    }
    return s;
  }

  /**
   * Parses the {@code alerts} node (null: the defaults). Pure.
   *
   * @throws IllegalArgumentException naming the offending key's path ({@code alerts.rules.host-down.for})
   */
  static AlertSettings parse(JsonNode node) {
    AlertSettings base = defaults();
    if (node == null || node.isNull()) {
      return base;
    }
    mapping(node, "alerts", TOP_KEYS);
    Map<String, AlertRuleSettings> rules = new LinkedHashMap<>(base.rules());
    JsonNode r = node.get("rules");
    if (r != null && !r.isNull()) {
      mapping(r, "alerts.rules", RULE_IDS);
      for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        rules.put(e.getKey(), rule(e.getValue(), "alerts.rules." + e.getKey(), rules.get(e.getKey())));
      }
    }
    Map<String, Map<String, AlertRuleSettings>> pools = new LinkedHashMap<>();
    JsonNode p = node.get("pools");
    if (p != null && !p.isNull()) {
      if (!p.isObject()) {
        throw new IllegalArgumentException("alerts.pools must be a mapping of pool name to rule overrides");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "alerts.pools." + e.getKey();
        if (e.getKey().isBlank() || e.getKey().length() > 256) {
          throw new IllegalArgumentException("alerts.pools: a pool name must be 1..256 characters, not blank");
        }
        JsonNode overrides = e.getValue();
        mapping(overrides, path, RULE_IDS);
        Map<String, AlertRuleSettings> one = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> jt = overrides.fields(); jt.hasNext(); ) {
          Map.Entry<String, JsonNode> o = jt.next();
          one.put(o.getKey(), rule(o.getValue(), path + "." + o.getKey(), rules.get(o.getKey())));
        }
        pools.put(e.getKey(), one);
      }
    }
    return new AlertSettings(rules, pools);
  }

  private static AlertRuleSettings rule(JsonNode n, String path, AlertRuleSettings base) {
    if (n == null || n.isNull()) {
      return base;
    }
    mapping(n, path, RULE_KEYS);
    boolean enabled = base.enabled();
    if (n.has("enabled")) {
      if (!n.get("enabled").isBoolean()) {
        throw new IllegalArgumentException(path + ".enabled must be true or false (was " + n.get("enabled") + ")");
      }
      enabled = n.get("enabled").asBoolean();
    }
    Duration forDuration = n.has("for") ? duration(n.get("for"), path + ".for", false) : base.forDuration();
    String severity = base.severity();
    if (n.has("severity")) {
      JsonNode s = n.get("severity");
      if (!s.isTextual() || !AlertRuleSettings.SEVERITIES.contains(s.asText())) {
        throw new IllegalArgumentException(path + ".severity must be critical, warning or info (was " + s + ")");
      }
      severity = s.asText();
    }
    Duration hold = n.has("hold") ? duration(n.get("hold"), path + ".hold", true) : base.hold();
    int min = base.minDeadLetters();
    if (n.has("minDeadLetters")) {
      JsonNode m = n.get("minDeadLetters");
      if (!m.isIntegralNumber() || m.asLong() < 1 || m.asLong() > 1_000_000) {
        throw new IllegalArgumentException(path + ".minDeadLetters must be a whole number 1..1000000 (was " + m + ")");
      }
      min = m.asInt();
    }
    return new AlertRuleSettings(enabled, forDuration, severity, hold, min);
  }

  private static Duration duration(JsonNode v, String path, boolean positive) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(path + " must be a duration such as 30s, 5m or 1h (was " + v + ")");
    }
    Duration d = positive ? Durations.positive(path, v.asText()) : Durations.parse(path, v.asText());
    if (d.isNegative()) {
      throw new IllegalArgumentException(path + " must not be negative (was '" + v.asText() + "')");
    }
    if (d.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(path + " must be at most 30d (was '" + v.asText() + "')");
    }
    return d;
  }

  private static void mapping(JsonNode node, String path, List<String> known) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            path + "." + key + " is not a known key (known here: " + String.join(", ", known) + ")");
      }
    }
  }
}
