package dev.nines.server.alerts;

import dev.nines.server.availability.BurnCheck;
import dev.nines.server.health.RuleFinding;
import java.util.List;
import java.util.Map;

/**
 * What the alert rules look at, read at one instant: the hosts' health, the pools' figures and the
 * receivers' dead letters. Built by the wiring from the health watch, the pool service and the
 * policy; built by hand in tests.
 *
 * @param hosts every known host
 * @param pools every pool
 * @param deadLetters dead-lettered messages per receiver id (receivers without any left out)
 */
public record AlertInputs(List<HostInput> hosts, List<PoolInput> pools, Map<String, Integer> deadLetters) {
  public AlertInputs {
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    pools = List.copyOf(pools == null ? List.of() : pools);
    deadLetters = Map.copyOf(deadLetters == null ? Map.of() : deadLetters);
  }

  /** Nothing known. */
  public static AlertInputs empty() {
    return new AlertInputs(List.of(), List.of(), Map.of());
  }

  /**
   * One host now.
   *
   * @param hostId the host
   * @param pool its pool, or null
   * @param health {@code HEALTHY}, {@code DEGRADED}, {@code UNHEALTHY} or {@code UNKNOWN}
   * @param findings the health rules firing at its latest evaluation, with their figures
   */
  public record HostInput(String hostId, String pool, String health, List<RuleFinding> findings) {
    public HostInput {
      if (hostId == null || hostId.isBlank()) {
        throw new IllegalArgumentException("hostId is required");
      }
      if (health == null) {
        throw new IllegalArgumentException("health is required");
      }
      findings = List.copyOf(findings == null ? List.of() : findings);
    }

    /** The finding of {@code rule}, or null when it is not firing. */
    public RuleFinding finding(String rule) {
      for (RuleFinding f : findings) {
        if (f.rule().equals(rule)) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * One pool now.
   *
   * @param pool the pool
   * @param memberCount its members
   * @param membersUp members serving (ACTIVE and HEALTHY)
   * @param required members its capacity guard needs serving
   * @param nPlusOneOk whether it survives losing one member (N+1), or null when not known yet
   * @param nPlusOneServing the serving members the N+1 verdict counted
   * @param sloTarget its SLO target
   * @param burnFiring the SLO burn-rate conditions firing now
   */
  public record PoolInput(
      String pool, int memberCount, int membersUp, int required, Boolean nPlusOneOk, int nPlusOneServing,
      double sloTarget, List<BurnCheck> burnFiring) {
    public PoolInput {
      if (pool == null || pool.isBlank()) {
        throw new IllegalArgumentException("pool is required");
      }
      burnFiring = List.copyOf(burnFiring == null ? List.of() : burnFiring);
    }
  }
}
