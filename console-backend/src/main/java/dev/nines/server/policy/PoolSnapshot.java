package dev.nines.server.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pool as the policy sees it at one moment.
 *
 * @param pool the pool's name
 * @param settings its policy settings
 * @param members its members, in any order (kept sorted by host id)
 * @param activeSide the side that serves; null when the pool has no sides
 * @param standbySide the other side; null exactly when {@code activeSide} is null
 */
public record PoolSnapshot(
    String pool, PolicySettings settings, List<Member> members, String activeSide, String standbySide) {
  public PoolSnapshot {
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool is required");
    }
    if (settings == null) {
      throw new IllegalArgumentException("settings is required (pool " + pool + ")");
    }
    if (members == null) {
      throw new IllegalArgumentException("members is required (pool " + pool + ")");
    }
    if ((activeSide == null) != (standbySide == null)) {
      throw new IllegalArgumentException(
          "activeSide and standbySide must both be set or both be null (pool " + pool + ")");
    }
    if (activeSide != null && activeSide.equals(standbySide)) {
      throw new IllegalArgumentException(
          "activeSide and standbySide must differ (pool " + pool + ", both " + activeSide + ")");
    }
    Set<String> seen = new HashSet<>();
    for (Member m : members) {
      if (m == null) {
        throw new IllegalArgumentException("members must not contain null (pool " + pool + ")");
      }
      if (!seen.add(m.hostId())) {
        throw new IllegalArgumentException("members: host " + m.hostId() + " appears twice (pool " + pool + ")");
      }
      if (activeSide == null && m.side() != null) {
        throw new IllegalArgumentException(
            "members: host " + m.hostId() + " has side " + m.side() + " but pool " + pool + " has no sides");
      }
      if (activeSide != null && !activeSide.equals(m.side()) && !standbySide.equals(m.side())) {
        throw new IllegalArgumentException(
            "members: host " + m.hostId() + " has side " + m.side() + ", not " + activeSide + " or "
                + standbySide + " (pool " + pool + ")");
      }
    }
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(Member::hostId));
    members = List.copyOf(sorted);
  }

  /** True when the pool has an active and a standby side. */
  public boolean hasSides() {
    return activeSide != null;
  }

  /**
   * True when the member counts for the guard and for automatic drains: every member of a pool
   * without sides, only the active side's members of a pool with sides.
   */
  public boolean inGuardScope(Member m) {
    return activeSide == null || activeSide.equals(m.side());
  }

  /** The members the guard counts (sorted by host id). */
  public List<Member> guardScope() {
    return members.stream().filter(this::inGuardScope).toList();
  }

  /** The standby side's members (empty for a pool without sides). */
  public List<Member> standbyMembers() {
    return activeSide == null ? List.of() : members.stream().filter(m -> standbySide.equals(m.side())).toList();
  }

  /** How many ACTIVE members the guard requires: {@code guard.requiredOf(guardScope().size())}. */
  public int required() {
    return settings.guard().requiredOf(guardScope().size());
  }

  public Optional<Member> member(String hostId) {
    return members.stream().filter(m -> m.hostId().equals(hostId)).findFirst();
  }
}
