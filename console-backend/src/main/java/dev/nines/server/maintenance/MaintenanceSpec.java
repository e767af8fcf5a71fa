package dev.nines.server.maintenance;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an operator asks for: the scope (a pool, hosts, or both), the schedule and why.
 *
 * @param pool the pool it covers (every member of the pool at the time), or null
 * @param hosts the hosts it covers (may be empty when {@code pool} is set); duplicates dropped
 * @param schedule when it applies
 * @param comment why (1..1024 characters)
 */
public record MaintenanceSpec(String pool, List<String> hosts, Schedule schedule, String comment) {
  static final int MAX_TEXT = 1024;
  static final int MAX_HOSTS = 1000;

  public MaintenanceSpec {
    if (pool != null && (pool.isBlank() || pool.length() > 256)) {
      throw new IllegalArgumentException("pool must be 1..256 characters");
    }
    hosts = hosts == null ? List.of() : hosts;
    if (hosts.size() > MAX_HOSTS) {
      throw new IllegalArgumentException("hosts may name at most " + MAX_HOSTS + " hosts");
    }
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      if (h == null || h.isBlank() || h.length() > 256) {
        throw new IllegalArgumentException("hosts[" + i + "] must be a host id of 1..256 characters");
      }
    }
    hosts = List.copyOf(new LinkedHashSet<>(hosts));
    if (pool == null && hosts.isEmpty()) {
      throw new IllegalArgumentException("pool or hosts is required: a window covers a pool, hosts, or both");
    }
    if (schedule == null) {
      throw new IllegalArgumentException(
          "schedule is required: startsAt and endsAt for a one-off window, or every, at and duration");
    }
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("comment is required (why the maintenance)");
    }
    if (comment.length() > MAX_TEXT) {
      throw new IllegalArgumentException("comment must be at most " + MAX_TEXT + " characters");
    }
  }

  /** Whether the window's scope takes in this host (by id, or by the pool it is in). */
  public boolean covers(String poolOfHost, String hostId) {
    return (hostId != null && hosts.contains(hostId)) || (pool != null && pool.equals(poolOfHost));
  }
}
