package dev.nines.server;

import dev.nines.server.alerts.AlertInputs;
import dev.nines.server.alerts.AlertSource;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.policy.NPlusOne;
import dev.nines.server.pools.PoolService;
import dev.nines.server.pools.PoolStatus;
import dev.nines.server.routing.PolicyTick;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Feeds the alert engine from the health watch, the pools and the policy. */
final class AlertWiring {
  private AlertWiring() {}

  static AlertSource source(HealthWatch health, PoolService pools, PolicyTick policy) {
    return now -> {
      Map<String, List<RuleFinding>> findings = health.findings();
      List<AlertInputs.HostInput> hosts = new ArrayList<>();
      for (HealthWatch.HostSnapshot h : health.snapshot()) {
        hosts.add(
            new AlertInputs.HostInput(
                h.hostId(), h.pool(), h.health().name(), findings.getOrDefault(h.hostId(), List.of())));
      }
      List<AlertInputs.PoolInput> out = new ArrayList<>();
      for (PoolStatus p : pools.snapshot(now).pools()) {
        NPlusOne n = policy.nPlusOne(p.name());
        out.add(
            new AlertInputs.PoolInput(
                p.name(), p.memberCount(), p.membersUp(), p.required(), n == null ? null : n.ok(),
                n == null ? 0 : n.serving(), p.settings().slo().target(), p.slo().firing()));
      }
      return new AlertInputs(hosts, out, Map.of());
    };
  }
}
