package dev.nines.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.availability.DegradedPolicy;
import dev.nines.server.availability.Slo;
import dev.nines.server.health.HealthRules;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the YAML tree into a {@link ServerConfig}, key by key, so that every refusal names the
 * key's full path. Pure.
 */
final class ConfigParser {
  static final List<String> TOP_KEYS = List.of("rules", "pools", "alerts");
  static final List<String> POOL_KEYS =
      List.of(
          "slo", "minActive", "minActiveFraction", "degraded", "rules", "members", "selector", "sides",
          "activeSide", "autoDrain", "hysteresis", "cooldown", "recovery", "autoFailover", "quarantine",
          "quarantineRelease", "startupGrace", "drainTimeout", "failoverTimeout", "haproxy", "webhook",
          "drainDegradedBy");
  static final List<String> HAPROXY_KEYS = List.of("runtime", "backend", "servers");
  static final List<String> WEBHOOK_KEYS = List.of("url", "secret");
  static final List<String> SLO_KEYS = List.of("target", "period");
  static final List<String> RULE_KEYS =
      List.of(
          "staleAfterIntervals", "staleGrace", "generationFailures", "errorWindowReports",
          "errorMinRequests", "errorRatioDegraded", "errorRatioUnhealthy", "latencyP95LimitMs",
          "latencyVsPoolFactor", "latencyVsPoolReports", "latencyPoolMinMembers",
          "gpuTemperatureDegradedC", "gpuTemperatureUnhealthyC", "fatalXids", "memoryAvailableMinRatio",
          "failAfter", "recoverAfter");

  private static final YAMLMapper YAML =
      YAMLMapper.builder(new YAMLFactory()).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ConfigParser() {}

  static ServerConfig parse(String yaml) throws JsonProcessingException {
    JsonNode root = YAML.readTree(yaml == null ? "" : yaml);
    if (root == null || root.isMissingNode() || root.isNull()) {
      return ServerConfig.defaults();
    }
    mapping(root, "config", TOP_KEYS);
    HealthRules rules = rules(root.get("rules"), "rules", HealthRules.defaults());
    Map<String, PoolSettings> pools = new LinkedHashMap<>();
    JsonNode poolsNode = root.get("pools");
    if (poolsNode != null && !poolsNode.isNull()) {
      if (!poolsNode.isObject()) {
        throw new IllegalArgumentException("pools must be a mapping of pool name to its settings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = poolsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        if (name.isBlank() || name.length() > 256) {
          throw new IllegalArgumentException("pools: a pool name must be 1..256 characters, not blank (was '" + name + "')");
        }
        pools.put(name, pool(e.getValue(), "pools." + name, rules));
      }
    }
    return new ServerConfig(rules, pools, AlertSettings.parse(root.get("alerts")));
  }

  static PoolSettings pool(JsonNode node, String path, HealthRules base) {
    if (node == null || node.isNull()) {
      return PoolSettings.defaults(base);
    }
    mapping(node, path, POOL_KEYS);
    Slo slo = slo(node.get("slo"), path + ".slo");
    CapacityGuard guard = PoolSettings.DEFAULT_GUARD;
    JsonNode minActive = node.get("minActive");
    JsonNode fraction = node.get("minActiveFraction");
    if (minActive != null && fraction != null) {
      throw new IllegalArgumentException(path + ": give minActive or minActiveFraction, not both");
    }
    if (minActive != null) {
      long n = integer(minActive, path + ".minActive");
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException(path + ".minActive must be in 1..100000 (was " + n + ")");
      }
      guard = CapacityGuard.atLeast((int) n);
    } else if (fraction != null) {
      double f = number(fraction, path + ".minActiveFraction");
      if (!(f > 0 && f <= 1)) {
        throw new IllegalArgumentException(path + ".minActiveFraction must be in (0, 1] (was " + f + ")");
      }
      guard = CapacityGuard.fraction(f);
    }
    DegradedPolicy degraded = degraded(node.get("degraded"), path + ".degraded");
    HealthRules rules = rules(node.get("rules"), path + ".rules", base);
    return new PoolSettings(slo, guard, degraded, rules, routing(node, path));
  }

  /** The routing keys of a pool's mapping (already checked for unknown keys). */
  static RoutingSettings routing(JsonNode node, String path) {
    RoutingSettings d = RoutingSettings.defaults();
    List<String> members = hostIds(node.get("members"), path + ".members");
    Map<String, String> selector = stringMap(node.get("selector"), path + ".selector");
    Map<String, List<String>> sides = new LinkedHashMap<>();
    JsonNode sidesNode = node.get("sides");
    if (sidesNode != null && !sidesNode.isNull()) {
      if (!sidesNode.isObject()) {
        throw new IllegalArgumentException(path + ".sides must be a mapping of side to host ids (was " + describe(sidesNode) + ")");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = sidesNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sides.put(e.getKey(), hostIds(e.getValue(), path + ".sides." + e.getKey()));
      }
    }
    String activeSide = text(node.get("activeSide"), path + ".activeSide");
    RoutingSettings.Haproxy haproxy = null;
    JsonNode h = node.get("haproxy");
    if (h != null && !h.isNull()) {
      mapping(h, path + ".haproxy", HAPROXY_KEYS);
      try {
        haproxy =
            new RoutingSettings.Haproxy(
                text(h.get("runtime"), path + ".haproxy.runtime"), text(h.get("backend"), path + ".haproxy.backend"),
                stringMap(h.get("servers"), path + ".haproxy.servers"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "." + e.getMessage(), e);
      }
    }
    RoutingSettings.Webhook webhook = null;
    JsonNode w = node.get("webhook");
    if (w != null && !w.isNull()) {
      mapping(w, path + ".webhook", WEBHOOK_KEYS);
      try {
        webhook = new RoutingSettings.Webhook(text(w.get("url"), path + ".webhook.url"), text(w.get("secret"), path + ".webhook.secret"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "." + e.getMessage(), e);
      }
    }
    JsonNode release = node.get("quarantineRelease");
    try {
      return new RoutingSettings(
          members, selector, sides, activeSide,
          bool(node.get("autoDrain"), path + ".autoDrain", d.autoDrain()),
          durationOr(node.get("hysteresis"), path + ".hysteresis", d.hysteresis()),
          durationOr(node.get("cooldown"), path + ".cooldown", d.cooldown()),
          durationOr(node.get("recovery"), path + ".recovery", d.recovery()),
          bool(node.get("autoFailover"), path + ".autoFailover", d.autoFailover()),
          bool(node.get("quarantine"), path + ".quarantine", d.quarantine()),
          release == null || isOff(release) ? null : duration(release, path + ".quarantineRelease"),
          durationOr(node.get("startupGrace"), path + ".startupGrace", d.startupGrace()),
          durationOr(node.get("drainTimeout"), path + ".drainTimeout", d.drainTimeout()),
          durationOr(node.get("failoverTimeout"), path + ".failoverTimeout", d.failoverTimeout()),
          haproxy, webhook,
          ruleIds(node.get("drainDegradedBy"), path + ".drainDegradedBy"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + e.getMessage(), e);
    }
  }

  private static List<String> hostIds(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(path + " must be a list of host ids (was " + describe(v) + ")");
    }
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      String id = text(v.get(i), path + "[" + i + "]");
      if (id == null || id.isBlank() || id.length() > 256) {
        throw new IllegalArgumentException(path + "[" + i + "] must be a host id of 1..256 characters");
      }
      out.add(id);
    }
    return out;
  }

  /** A list of rule ids, or null when absent (the default applies); {@code []} for none. */
  private static Set<String> ruleIds(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(path + " must be a list of rule ids, e.g. [latency-vs-pool] (was " + describe(v) + ")");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(text(v.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode v, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException(path + " must be a mapping of names to text (was " + describe(v) + ")");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), text(e.getValue(), path + "." + e.getKey()));
    }
    return out;
  }

  private static String text(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException(path + " must be text (was " + describe(v) + ")");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode v, String path, boolean otherwise) {
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(path + " must be true or false (was " + describe(v) + ")");
    }
    return v.asBoolean();
  }

  private static Duration durationOr(JsonNode v, String path, Duration otherwise) {
    return v == null || v.isNull() ? otherwise : duration(v, path);
  }

  /** One pool's section (YAML or JSON text) on top of the server-wide rules; {@code path} prefixes errors. */
  static PoolSettings pool(String text, String path, HealthRules base) throws JsonProcessingException {
    JsonNode node = YAML.readTree(text == null ? "" : text);
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new IllegalArgumentException(path + " must be a mapping of the pool's settings (was empty)");
    }
    return pool(node, path, base);
  }

  /**
   * A pool's settings as the config file would write them (the effective values, every key), for
   * the API. The inverse of {@link #pool(JsonNode, String, HealthRules)}.
   */
  static Map<String, Object> describe(PoolSettings p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("slo", Map.of("target", p.slo().target(), "period", Durations.format(p.slo().period())));
    if (p.guard().minActive() > 0) {
      out.put("minActive", p.guard().minActive());
    } else {
      out.put("minActiveFraction", p.guard().minActiveFraction());
    }
    double w = p.degraded().degradedWeight();
    out.put("degraded", w == 1.0 ? "up" : w == 0.0 ? "down" : (Object) w);
    HealthRules r = p.rules();
    Map<String, Object> rules = new LinkedHashMap<>();
    rules.put("staleAfterIntervals", r.staleAfterIntervals());
    rules.put("staleGrace", Durations.format(r.staleGrace()));
    rules.put("generationFailures", r.generationFailures());
    rules.put("errorWindowReports", r.errorWindowReports());
    rules.put("errorMinRequests", r.errorMinRequests());
    rules.put("errorRatioDegraded", r.errorRatioDegraded());
    rules.put("errorRatioUnhealthy", r.errorRatioUnhealthy());
    rules.put("latencyP95LimitMs", r.latencyP95LimitMs());
    rules.put("latencyVsPoolFactor", r.latencyVsPoolFactor());
    rules.put("latencyVsPoolReports", r.latencyVsPoolReports());
    rules.put("latencyPoolMinMembers", r.latencyPoolMinMembers());
    rules.put("gpuTemperatureDegradedC", r.gpuTemperatureDegradedC());
    rules.put("gpuTemperatureUnhealthyC", r.gpuTemperatureUnhealthyC());
    rules.put("fatalXids", new java.util.TreeSet<>(r.fatalXids()));
    rules.put("memoryAvailableMinRatio", r.memoryAvailableMinRatio());
    rules.put("failAfter", r.failAfter());
    rules.put("recoverAfter", r.recoverAfter());
    out.put("rules", rules);
    RoutingSettings rs = p.routing();
    out.put("members", rs.members());
    out.put("selector", rs.selector());
    out.put("sides", rs.sides());
    out.put("activeSide", rs.activeSide());
    out.put("autoDrain", rs.autoDrain());
    out.put("hysteresis", Durations.format(rs.hysteresis()));
    out.put("cooldown", Durations.format(rs.cooldown()));
    out.put("recovery", Durations.format(rs.recovery()));
    out.put("autoFailover", rs.autoFailover());
    out.put("quarantine", rs.quarantine());
    out.put("quarantineRelease", rs.quarantineRelease() == null ? null : Durations.format(rs.quarantineRelease()));
    out.put("startupGrace", Durations.format(rs.startupGrace()));
    out.put("drainTimeout", Durations.format(rs.drainTimeout()));
    out.put("failoverTimeout", Durations.format(rs.failoverTimeout()));
    out.put("drainDegradedBy", new java.util.TreeSet<>(rs.drainDegradedBy()));
    if (rs.haproxy() != null) {
      out.put(
          "haproxy",
          Map.of("runtime", rs.haproxy().runtime(), "backend", rs.haproxy().backend(), "servers", rs.haproxy().servers()));
    }
    if (rs.webhook() != null) {
      Map<String, Object> hook = new LinkedHashMap<>();
      hook.put("url", rs.webhook().url());
      hook.put("secret", "***");
      out.put("webhook", hook);
    }
    return out;
  }

  private static Slo slo(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return PoolSettings.DEFAULT_SLO;
    }
    mapping(node, path, SLO_KEYS);
    double target = PoolSettings.DEFAULT_SLO.target();
    if (node.has("target")) {
      target = number(node.get("target"), path + ".target");
      if (!(target > 0 && target < 1)) {
        throw new IllegalArgumentException(
            path + ".target must be in (0, 1) (was " + target + "; write 99.9 % as 0.999)");
      }
    }
    Duration period = PoolSettings.DEFAULT_SLO.period();
    if (node.has("period")) {
      period = duration(node.get("period"), path + ".period");
      if (period.compareTo(Duration.ofMinutes(5)) < 0 || period.compareTo(Duration.ofDays(400)) > 0) {
        throw new IllegalArgumentException(
            path + ".period must be in 5m..400d (was " + Durations.format(period) + ")");
      }
    }
    return new Slo(target, period);
  }

  private static DegradedPolicy degraded(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return PoolSettings.DEFAULT_DEGRADED;
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "up":
          return DegradedPolicy.UP;
        case "down":
          return DegradedPolicy.DOWN;
        default:
          break;
      }
    } else if (node.isNumber()) {
      double w = node.asDouble();
      if (w >= 0 && w <= 1) {
        return DegradedPolicy.weighted(w);
      }
    }
    throw new IllegalArgumentException(
        path + " must be up, down or a weight in [0, 1] (was " + describe(node) + ")");
  }

  /** The rules in {@code node} applied on top of {@code base}. */
  static HealthRules rules(JsonNode node, String path, HealthRules base) {
    if (node == null || node.isNull()) {
      return base;
    }
    mapping(node, path, RULE_KEYS);
    HealthRules.Builder b = base.toBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      String p = path + "." + key;
      switch (key) {
        case "staleAfterIntervals" -> b.staleAfterIntervals(intValue(v, p));
        case "staleGrace" -> b.staleGrace(duration(v, p));
        case "generationFailures" -> b.generationFailures(intValue(v, p));
        case "errorWindowReports" -> b.errorWindowReports(intValue(v, p));
        case "errorMinRequests" -> b.errorMinRequests(integer(v, p));
        case "errorRatioDegraded" -> b.errorRatioDegraded(number(v, p));
        case "errorRatioUnhealthy" -> b.errorRatioUnhealthy(number(v, p));
        case "latencyP95LimitMs" -> b.latencyP95LimitMs(isOff(v) ? null : number(v, p));
        case "latencyVsPoolFactor" -> b.latencyVsPoolFactor(number(v, p));
        case "latencyVsPoolReports" -> b.latencyVsPoolReports(intValue(v, p));
        case "latencyPoolMinMembers" -> b.latencyPoolMinMembers(intValue(v, p));
        case "gpuTemperatureDegradedC" -> b.gpuTemperatureDegradedC(number(v, p));
        case "gpuTemperatureUnhealthyC" -> b.gpuTemperatureUnhealthyC(number(v, p));
        case "fatalXids" -> b.fatalXids(xids(v, p));
        case "memoryAvailableMinRatio" -> b.memoryAvailableMinRatio(number(v, p));
        case "failAfter" -> b.failAfter(intValue(v, p));
        case "recoverAfter" -> b.recoverAfter(intValue(v, p));
        default -> throw new AssertionError(key); // mapping() refused unknown keys
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + e.getMessage(), e);
    }
  }

  /** {@code off}, {@code null} or {@code ~}: YAML 1.1 reads a bare {@code off} as false. */
  private static boolean isOff(JsonNode v) {
    return v.isNull() || (v.isBoolean() && !v.asBoolean()) || "off".equals(v.asText(null));
  }

  private static Set<Long> xids(JsonNode v, String path) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(path + " must be a list of XID codes, e.g. [48, 79] (was " + describe(v) + ")");
    }
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      long x = integer(v.get(i), path + "[" + i + "]");
      if (x < 0) {
        throw new IllegalArgumentException(path + "[" + i + "] must be >= 0 (was " + x + ")");
      }
      out.add(x);
    }
    return out;
  }

  /** Refuses a node that is not a mapping or holds keys outside {@code known}. */
  private static void mapping(JsonNode node, String path, List<String> known) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be a mapping (was " + describe(node) + ")");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String where = path.equals("config") ? key : path + "." + key;
        throw new IllegalArgumentException(where + " is not a known key (known here: " + String.join(", ", known) + ")");
      }
    }
  }

  private static long integer(JsonNode v, String path) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(path + " must be a whole number (was " + describe(v) + ")");
    }
    return v.asLong();
  }

  private static int intValue(JsonNode v, String path) {
    long n = integer(v, path);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + " is out of range (was " + n + ")");
    }
    return (int) n;
  }

  private static double number(JsonNode v, String path) {
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException(path + " must be a number (was " + describe(v) + ")");
    }
    return v.asDouble();
  }

  private static Duration duration(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          path + " must be a duration such as 30s, 5m or 30d (was " + describe(v) + ")");
    }
    return Durations.parse(path, v.asText());
  }

  private static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }
}
