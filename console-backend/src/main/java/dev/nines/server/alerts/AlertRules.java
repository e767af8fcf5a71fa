package dev.nines.server.alerts;

import dev.nines.server.alerts.AlertInputs.HostInput;
import dev.nines.server.alerts.AlertInputs.PoolInput;
import dev.nines.server.availability.BurnCheck;
import dev.nines.server.availability.BurnCondition;
import dev.nines.server.config.AlertRuleSettings;
import dev.nines.server.config.AlertSettings;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.health.RuleIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in alert rules: which alerts' conditions hold, given the inputs and the events still
 * within their hold. Pure.
 */
final class AlertRules {
  private AlertRules() {}

  static List<Candidate> evaluate(AlertInputs in, List<AlertEvent> events, AlertSettings settings, Instant now) {
    List<Candidate> out = new ArrayList<>();
    for (HostInput h : in.hosts()) {
      hostRules(h, settings, out);
    }
    for (PoolInput p : in.pools()) {
      poolRules(p, settings, out);
    }
    for (Map.Entry<String, Integer> e : new TreeMap<>(in.deadLetters()).entrySet()) {
      AlertRuleSettings s = settings.settings(AlertNames.RECEIVER_DEAD_LETTERING, null);
      if (s.enabled() && e.getValue() != null && e.getValue() >= s.minDeadLetters()) {
        Map<String, String> labels = labels(AlertNames.RECEIVER_DEAD_LETTERING, s, null, null);
        labels.put("receiver", e.getKey());
        out.add(
            Candidate.of(
                labels,
                annotations(
                    "Receiver " + e.getKey() + " is dead-lettering",
                    e.getValue() + " message(s) to receiver " + e.getKey() + " were dead-lettered (threshold "
                        + s.minDeadLetters() + "); re-drive them once it is reachable",
                    "/api/v1/webhooks/" + e.getKey()),
                s.forDuration(), null));
      }
    }
    for (AlertEvent ev : events) {
      String pool = ev.extraLabels().get("pool");
      AlertRuleSettings s = settings.settings(ev.rule(), pool);
      Instant until = ev.at().plus(s.hold());
      if (!s.enabled() || !until.isAfter(now)) {
        continue;
      }
      Map<String, String> labels = labels(ev.rule(), s, null, null);
      labels.putAll(ev.extraLabels());
      String host = ev.extraLabels().get("host");
      String link = host != null ? "/api/v1/hosts/" + host : pool != null ? "/api/v1/pools/" + pool : "";
      out.add(Candidate.of(labels, annotations(ev.summary(), ev.description(), link), s.forDuration(), until));
    }
    return out;
  }

  private static void hostRules(HostInput h, AlertSettings settings, List<Candidate> out) {
    RuleFinding stale = h.finding(RuleIds.STALE);
    if (h.health().equals("UNKNOWN") || stale != null) {
      host(h, AlertNames.HOST_DOWN, settings, out, "Host " + h.hostId() + " is down",
          stale != null ? describe(stale) : "no report judged: health is UNKNOWN");
    } else if (h.health().equals("UNHEALTHY")) {
      host(h, AlertNames.HOST_UNHEALTHY, settings, out, "Host " + h.hostId() + " is unhealthy", describeAll(h));
    } else if (h.health().equals("DEGRADED")) {
      host(h, AlertNames.HOST_DEGRADED, settings, out, "Host " + h.hostId() + " is degraded", describeAll(h));
    }
    RuleFinding hot = h.finding(RuleIds.GPU_TEMPERATURE);
    if (hot != null) {
      host(h, AlertNames.GPU_HOT, settings, out, "A GPU of host " + h.hostId() + " is too hot", describe(hot));
    }
    RuleFinding lost = h.finding(RuleIds.GPU_LOST);
    if (lost != null) {
      host(h, AlertNames.GPU_LOST, settings, out, "Host " + h.hostId() + " lost a GPU", describe(lost));
    }
    RuleFinding abs = h.finding(RuleIds.LATENCY_ABSOLUTE);
    RuleFinding rel = h.finding(RuleIds.LATENCY_VS_POOL);
    if (abs != null || rel != null) {
      StringBuilder d = new StringBuilder();
      for (RuleFinding f : new RuleFinding[] {abs, rel}) {
        if (f != null) {
          d.append(d.length() == 0 ? "" : "; ").append(describe(f));
        }
      }
      host(h, AlertNames.LATENCY_HIGH, settings, out, "Host " + h.hostId() + " answers slowly", d.toString());
    }
    RuleFinding err = h.finding(RuleIds.ERROR_RATIO);
    if (err != null) {
      host(h, AlertNames.ERROR_RATIO_HIGH, settings, out, "Host " + h.hostId() + " returns too many errors",
          describe(err));
    }
  }

  private static void host(
      HostInput h, String rule, AlertSettings settings, List<Candidate> out, String summary, String description) {
    AlertRuleSettings s = settings.settings(rule, h.pool());
    if (!s.enabled()) {
      return;
    }
    out.add(
        Candidate.of(
            labels(rule, s, h.pool(), h.hostId()),
            annotations(summary, description, "/api/v1/hosts/" + h.hostId()), s.forDuration(), null));
  }

  private static void poolRules(PoolInput p, AlertSettings settings, List<Candidate> out) {
    String link = "/api/v1/pools/" + p.pool();
    boolean belowGuard = p.membersUp() < p.required();
    AlertRuleSettings cap = settings.settings(AlertNames.POOL_CAPACITY, p.pool());
    if (belowGuard && cap.enabled()) {
      out.add(
          Candidate.of(
              labels(AlertNames.POOL_CAPACITY, cap, p.pool(), null),
              annotations(
                  "Pool " + p.pool() + " is below its capacity guard",
                  p.membersUp() + " of " + p.memberCount() + " members serving, " + p.required() + " required",
                  link),
              cap.forDuration(), null));
    }
    AlertRuleSettings red = settings.settings(AlertNames.POOL_REDUNDANCY, p.pool());
    // below the guard, pool-capacity says more: N+1 is implied lost
    if (!belowGuard && Boolean.FALSE.equals(p.nPlusOneOk()) && red.enabled()) {
      out.add(
          Candidate.of(
              labels(AlertNames.POOL_REDUNDANCY, red, p.pool(), null),
              annotations(
                  "Pool " + p.pool() + " lost N+1 redundancy",
                  p.nPlusOneServing() + " serving, " + p.required() + " required: losing one member leaves "
                      + Math.max(0, p.nPlusOneServing() - 1) + ", below the guard",
                  link),
              red.forDuration(), null));
    }
    List<BurnCheck> page = p.burnFiring().stream().filter(c -> c.condition().severity() == BurnCondition.Severity.PAGE).toList();
    List<BurnCheck> ticket = p.burnFiring().stream().filter(c -> c.condition().severity() == BurnCondition.Severity.TICKET).toList();
    burn(p, AlertNames.SLO_FAST_BURN, page, settings, out, "is burning its error budget fast");
    burn(p, AlertNames.SLO_SLOW_BURN, ticket, settings, out, "is burning its error budget");
  }

  private static void burn(
      PoolInput p, String rule, List<BurnCheck> firing, AlertSettings settings, List<Candidate> out, String what) {
    AlertRuleSettings s = settings.settings(rule, p.pool());
    if (firing.isEmpty() || !s.enabled()) {
      return;
    }
    StringBuilder d = new StringBuilder();
    for (BurnCheck c : firing) {
      d.append(d.length() == 0 ? "" : "; ")
          .append(c.condition().conditionName())
          .append(": burn rate ").append(rate(c.longRate())).append(" over ").append(c.condition().longWindow().label())
          .append(" and ").append(rate(c.shortRate())).append(" over ").append(c.condition().shortWindow().label())
          .append(" (threshold ").append(c.condition().threshold()).append("x)");
    }
    d.append("; SLO target ").append(p.sloTarget());
    out.add(
        Candidate.of(
            labels(rule, s, p.pool(), null),
            annotations("Pool " + p.pool() + " " + what, d.toString(), "/api/v1/pools/" + p.pool()),
            s.forDuration(), null));
  }

  private static String rate(java.util.OptionalDouble r) {
    return r.isPresent() ? String.format(Locale.ROOT, "%.2fx", r.getAsDouble()) : "n/a";
  }

  static Map<String, String> labels(String rule, AlertRuleSettings s, String pool, String host) {
    Map<String, String> m = new TreeMap<>();
    m.put("alertname", rule);
    m.put("severity", s.severity());
    if (pool != null) {
      m.put("pool", pool);
    }
    if (host != null) {
      m.put("host", host);
    }
    return m;
  }

  static Map<String, String> annotations(String summary, String description, String link) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("summary", summary);
    m.put("description", description);
    m.put("link", link);
    return m;
  }

  private static String describeAll(HostInput h) {
    if (h.findings().isEmpty()) {
      return "health is " + h.health();
    }
    StringBuilder b = new StringBuilder();
    for (RuleFinding f : h.findings()) {
      b.append(b.length() == 0 ? "" : "; ").append(describe(f));
    }
    return b.toString();
  }

  /** {@code rule: reason [name=value, ...]}. */
  static String describe(RuleFinding f) {
    StringBuilder b = new StringBuilder(f.rule()).append(": ").append(f.reason());
    if (!f.figures().isEmpty()) {
      b.append(" [");
      boolean first = true;
      for (Map.Entry<String, Double> e : f.figures().entrySet()) {
        b.append(first ? "" : ", ").append(e.getKey()).append('=').append(number(e.getValue()));
        first = false;
      }
      b.append(']');
    }
    return b.toString();
  }

  static String number(Double v) {
    if (v == null) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString(v.longValue());
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
