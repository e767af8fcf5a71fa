package dev.nines.server;

import dev.nines.server.alerts.AlertInputs;
import dev.nines.server.alerts.AlertSource;
import dev.nines.server.availability.BurnCheck;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.healthwatch.HealthWatch;
import dev.nines.server.policy.NPlusOne;
import dev.nines.server.pools.MemberStatus;
import dev.nines.server.pools.PoolService;
import dev.nines.server.pools.PoolStatus;
import dev.nines.server.routing.PolicyTick;
import dev.nines.server.store.HostRecord;
import dev.nines.server.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Feeds the alert engine from the health watch, the pools and the policy. */
final class AlertWiring {
  private AlertWiring() {}

  /**
   * The alert engine's inputs. A pool's SLO burn conditions count only once the pool is older than
   * the condition's short window (the first report of its oldest member): while a new pool's members
   * come up one by one it is briefly below its guard, and over the few seconds it has existed that
   * reads as a huge burn rate. Its capacity alert still fires for a real outage at any age.
   */
  static AlertSource source(HealthWatch health, PoolService pools, PolicyTick policy, Store store) {
    Map<String, Long> firstSeen = new java.util.concurrent.ConcurrentHashMap<>();
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
        long born = Long.MAX_VALUE;
        for (MemberStatus m : p.members()) {
          Long seen = firstSeen.get(m.hostId());
          if (seen == null) {
            for (HostRecord h : store.hosts()) {
              firstSeen.put(h.id(), h.firstSeenMs());
            }
            seen = firstSeen.get(m.hostId());
          }
          if (seen != null) {
            born = Math.min(born, seen);
          }
        }
        long ageMs = born == Long.MAX_VALUE ? 0 : now.toEpochMilli() - born;
        List<BurnCheck> burning = new ArrayList<>();
        for (BurnCheck c : p.slo().firing()) {
          if (ageMs >= c.condition().shortWindow().duration().toMillis()) {
            burning.add(c);
          }
        }
        out.add(
            new AlertInputs.PoolInput(
                p.name(), p.memberCount(), p.membersUp(), p.required(), n == null ? null : n.ok(),
                n == null ? 0 : n.serving(), p.settings().slo().target(), burning));
      }
      return new AlertInputs(hosts, out, Map.of());
    };
  }
}
