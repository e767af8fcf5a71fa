package dev.nines.server.pools;

import dev.nines.server.availability.RequestAvailability;
import dev.nines.server.availability.SloStatus;
import dev.nines.server.config.PoolSettings;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A pool's figures at {@code now}, every window ending at {@code now}.
 *
 * @param name the pool
 * @param now the instant the figures are for
 * @param settings its settings (SLO, guard, how DEGRADED counts, health rules)
 * @param memberCount hosts whose latest report names this pool
 * @param membersUp members ACTIVE and HEALTHY now
 * @param required members the guard needs serving for the pool to be up
 * @param state the pool's state now
 * @param availability1h time-based availability over the last hour, or empty (nothing counted)
 * @param availability1d over the last day
 * @param availability30d over the last 30 days
 * @param slo the SLO's state: period availability (time-based), budget, burn rates, conditions
 * @param requests request-based availability over the SLO period, or null when not computed (the
 *     snapshot for metrics leaves it out)
 * @param members the members, ordered by id
 */
public record PoolStatus(
    String name,
    Instant now,
    PoolSettings settings,
    int memberCount,
    int membersUp,
    int required,
    PoolState state,
    OptionalDouble availability1h,
    OptionalDouble availability1d,
    OptionalDouble availability30d,
    SloStatus slo,
    RequestAvailability requests,
    List<MemberStatus> members) {
  public PoolStatus {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is required");
    }
    if (now == null || settings == null || state == null || slo == null) {
      throw new IllegalArgumentException("now, settings, state and slo are required");
    }
    if (availability1h == null || availability1d == null || availability30d == null) {
      throw new IllegalArgumentException("availability1h, availability1d and availability30d are required");
    }
    if (members == null) {
      throw new IllegalArgumentException("members is required");
    }
    members = List.copyOf(members);
  }
}
