package dev.nines.server;

import dev.nines.server.leader.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this replica knows of the replicas: for {@code GET /api/v1/cluster}, {@code /readyz} and
 * {@code /metrics}. A single replica (SQLite) always leads and has no lease.
 */
final class Cluster {
  /**
   * @param mode {@code single} (one replica, SQLite) or {@code replicated} (PostgreSQL, a lease)
   * @param replica this replica's id
   * @param role {@code leader} or {@code follower}
   * @param leader the replica holding the lease at the last renewal attempt (null before any answer)
   * @param leaderUrl where it serves the API ("" when unknown)
   * @param token this replica's fencing token while it leads, else 0
   * @param leaderToken the lease's token as last read
   * @param leaseExpiresAtMs when the lease runs out unless renewed (0 when unknown)
   * @param actUntilMs while leading: when this replica stops acting unless it renews (0 otherwise)
   * @param lastError the last renewal attempt's failure, or null
   */
  record View(
      String mode, String replica, String role, String leader, String leaderUrl, long token, long leaderToken,
      long leaseExpiresAtMs, long actUntilMs, String lastError) {}

  private final Leadership leadership;
  private final java.util.function.BooleanSupplier brainReady;

  /**
   * @param leadership null for a single replica
   * @param brainReady true once the leader's brain is built (it is built on its own thread after the
   *     election): until then the replica does not say it leads, so that whoever reads "leader" may
   *     act through it at once
   */
  Cluster(Leadership leadership, java.util.function.BooleanSupplier brainReady) {
    this.leadership = leadership;
    this.brainReady = brainReady;
  }

  /** True while this replica leads and its brain runs: it may act now. */
  boolean leads() {
    return leadership == null || (leadership.isLeader() && brainReady.getAsBoolean());
  }

  View view() {
    if (leadership == null) {
      return new View("single", "single", "leader", "single", "", 0, 0, 0, 0, null);
    }
    Leadership.Status s = leadership.status();
    boolean leads = s.role() == Leadership.Role.LEADER && brainReady.getAsBoolean();
    return new View(
        "replicated", s.replica(), leads ? "leader" : "follower", s.leader(), s.leaderUrl(), leads ? s.token() : 0,
        s.leaderToken(), s.leaseExpiresAtMs(), leads ? s.actUntilMs() : 0, s.lastError());
  }

  /** The part of {@code /readyz}'s answer that tells the replicas apart. */
  Map<String, Object> probe() {
    View v = view();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", v.mode());
    out.put("replica", v.replica());
    out.put("role", v.role());
    out.put("leader", v.leader());
    out.put("fencingToken", fencingToken(v));
    return out;
  }

  /** The lease's token as this replica knows it: its own while it leads, else the last one read. */
  private static long fencingToken(View v) {
    return v.role().equals("leader") ? v.token() : v.leaderToken();
  }

  void bind(MeterRegistry meters) {
    Gauge.builder("nines_leader", this, c -> c.leads() ? 1 : 0)
        .description("1 while this replica leads (runs the policy engine, actuators, alerts and retention), else 0; always 1 for a single replica")
        .register(meters);
    Gauge.builder("nines_leader_fencing_token", this, c -> fencingToken(c.view()))
        .description("The leader lease's fencing token as this replica last saw it (its own while it leads); goes up with every new term")
        .register(meters);
  }
}
