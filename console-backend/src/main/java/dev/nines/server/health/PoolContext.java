package dev.nines.server.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the health judge needs to know about a host's pool: the median of its members' latest p95
 * latencies, or null when too few members have a figure for a median to mean anything.
 *
 * @param medianP95Ms the pool's median p95 in ms, or null
 * @param membersWithFigures how many members offered a p95
 */
public record PoolContext(Double medianP95Ms, int membersWithFigures) {

  public PoolContext {
    if (medianP95Ms != null && !(Double.isFinite(medianP95Ms) && medianP95Ms >= 0)) {
      throw new IllegalArgumentException("medianP95Ms must be a finite number >= 0 (was " + medianP95Ms + ")");
    }
    if (membersWithFigures < 0) {
      throw new IllegalArgumentException("membersWithFigures must be >= 0 (was " + membersWithFigures + ")");
    }
  }

  /** No pool, or nothing known about it: the relative latency rule does not fire. */
  public static PoolContext none() {
    return new PoolContext(null, 0);
  }

  /**
   * The context from the members' latest p95 figures (nulls, meaning "no figure", are skipped).
   * There is a median only when at least {@code minMembers} members have a figure.
   */
  public static PoolContext ofMemberP95s(Collection<Double> memberP95Ms, int minMembers) {
    List<Double> figures = new ArrayList<>();
    for (Double d : memberP95Ms) {
      if (d != null && Double.isFinite(d) && d >= 0) {
        figures.add(d);
      }
    }
    if (figures.isEmpty() || figures.size() < minMembers) {
      return new PoolContext(null, figures.size());
    }
    figures.sort(null);
    int n = figures.size();
    double median =
        n % 2 == 1 ? figures.get(n / 2) : (figures.get(n / 2 - 1) + figures.get(n / 2)) / 2.0;
    return new PoolContext(median, n);
  }

  /** {@link #ofMemberP95s(Collection, int)} with the pool's {@link HealthRules#latencyPoolMinMembers()}. */
  public static PoolContext ofMemberP95s(Collection<Double> memberP95Ms, HealthRules rules) {
    return ofMemberP95s(memberP95Ms, rules.latencyPoolMinMembers());
  }
}
