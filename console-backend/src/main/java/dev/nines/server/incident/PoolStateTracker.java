package dev.nines.server.incident;

import dev.nines.server.availability.CapacityGuard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Remembers each pool's last state and tells when it changes. Pure: members and a time in, a
 * change out; not thread-safe (its owner serializes calls).
 *
 * <p>The definition ({@link #evaluate}), with {@code required = guard.requiredOf(members)}:
 *
 * <ul>
 *   <li>UP: at least {@code required} members are ACTIVE and HEALTHY (the same test as
 *       time-based pool availability). Members may be down while the pool is UP: their own host
 *       incidents tell of them; the pool still serves with the capacity it promised.
 *   <li>DEGRADED: fewer than {@code required} are ACTIVE and HEALTHY, but counting the ACTIVE
 *       DEGRADED members as well meets the guard: the pool serves, worse.
 *   <li>DOWN: even counting DEGRADED members, fewer than {@code required} serve.
 * </ul>
 *
 * UNKNOWN members (no fresh report) count as down, and so does every member not ACTIVE.
 */
public final class PoolStateTracker {
  /** The guard of a pool that has no configuration of its own. */
  public static final CapacityGuard DEFAULT_GUARD = CapacityGuard.fraction(0.5);

  private final Function<String, CapacityGuard> guards;
  private final Map<String, PoolState> states = new HashMap<>();

  /**
   * @param guards the capacity guard of each pool; null, or a function answering null, means
   *     {@link #DEFAULT_GUARD}
   */
  public PoolStateTracker(Function<String, CapacityGuard> guards) {
    this.guards = guards == null ? pool -> DEFAULT_GUARD : guards;
  }

  /** The state of a pool and its figures. Pure. */
  public static PoolStatus evaluate(String pool, Collection<PoolMember> members, CapacityGuard guard) {
    int required = guard.requiredOf(members.size());
    List<String> down = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    int healthy = 0;
    int maintenance = 0;
    for (PoolMember m : members) {
      if (m.serving()) {
        healthy++;
      } else if (m.servingDegraded()) {
        degraded.add(m.hostId());
      } else {
        if (m.inMaintenance()) {
          maintenance++;
        }
        down.add(m.hostId());
      }
    }
    down.sort(null);
    degraded.sort(null);
    PoolState state =
        healthy >= required
            ? PoolState.UP
            : healthy + degraded.size() >= required
                ? PoolState.DEGRADED
                : healthy + degraded.size() + maintenance >= required ? PoolState.MAINTENANCE : PoolState.DOWN;
    return new PoolStatus(pool, state, members.size(), required, healthy, degraded.size(), down, degraded);
  }

  /** The guard this tracker applies to a pool. */
  public CapacityGuard guardOf(String pool) {
    CapacityGuard g = guards.apply(pool);
    return g == null ? DEFAULT_GUARD : g;
  }

  /**
   * Evaluates the pool with its members now and returns the change when its state differs from the
   * last one (a pool never seen before counts as having been UP).
   */
  public Optional<PoolStateChange> update(String pool, Collection<PoolMember> members, Instant at) {
    PoolStatus status = evaluate(pool, members, guardOf(pool));
    PoolState before = state(pool);
    states.put(pool, status.state());
    if (before == status.state()) {
      return Optional.empty();
    }
    return Optional.of(new PoolStateChange(pool, before, status.state(), at, status));
  }

  /** The last state of a pool; UP when it was never evaluated. */
  public PoolState state(String pool) {
    return states.getOrDefault(pool, PoolState.UP);
  }

  /** Sets a pool's last state without a change (a restart reloading an open pool incident). */
  public void restore(String pool, PoolState state) {
    states.put(pool, state);
  }

  /** Forgets a pool (it has no members any more). */
  public void forget(String pool) {
    states.remove(pool);
  }
}
