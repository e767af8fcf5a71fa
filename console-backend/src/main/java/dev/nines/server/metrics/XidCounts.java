package dev.nines.server.metrics;

import dev.nines.protocol.AgentReport;
import dev.nines.protocol.GpuMetrics;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * XID events counted per host, GPU and XID code, over the reports this server stored since it
 * started. Written from the writer's one acknowledging thread, read by scrapes.
 *
 * <p>Cardinality is bounded per host: the first {@link #MAX_CODES_PER_HOST} distinct XID codes a
 * host reports get their own series; later new codes count under {@link #OTHER}. A host's counts
 * go when {@link #retainHosts} no longer lists it (the store forgot it).
 */
final class XidCounts {
  /** Distinct XID codes with their own series, per host. */
  static final int MAX_CODES_PER_HOST = 64;
  /** The {@code xid} label of codes beyond the per-host limit. */
  static final String OTHER = "other";

  /**
   * One series of a host.
   *
   * @param gpu the GPU's index
   * @param xid the XID code as a label value, or {@link #OTHER}
   */
  record Key(int gpu, String xid) {
    Key {
      if (gpu < 0) {
        throw new IllegalArgumentException("gpu must be >= 0 (was " + gpu + ")");
      }
      if (xid == null || xid.isEmpty()) {
        throw new IllegalArgumentException("xid is required");
      }
    }
  }

  /** A host's counts; its maps are replaced on every change, never changed in place. */
  private record HostCounts(Set<Long> codes, Map<Key, Long> counts) {}

  private final Map<String, HostCounts> byHost = new ConcurrentHashMap<>();

  /** Adds the XID events of one newly stored report of {@code host}. */
  void add(String host, AgentReport report) {
    if (report.gpu() == null) {
      return;
    }
    boolean any = false;
    for (GpuMetrics g : report.gpu().gpus()) {
      any |= !g.xidEvents().isEmpty();
    }
    if (!any) {
      return;
    }
    byHost.compute(
        host,
        (h, before) -> {
          Set<Long> codes = before == null ? new HashSet<>() : new HashSet<>(before.codes());
          Map<Key, Long> counts = before == null ? new HashMap<>() : new HashMap<>(before.counts());
          for (GpuMetrics g : report.gpu().gpus()) {
            for (GpuMetrics.XidEvent e : g.xidEvents()) {
              if (!codes.contains(e.xid()) && codes.size() < MAX_CODES_PER_HOST) {
                codes.add(e.xid());
              }
              String label = codes.contains(e.xid()) ? Long.toString(e.xid()) : OTHER;
              counts.merge(new Key(g.index(), label), 1L, Long::sum);
            }
          }
          return new HostCounts(Collections.unmodifiableSet(codes), Collections.unmodifiableMap(counts));
        });
  }

  /** The counts of {@code host}, empty when it has none; an unmodifiable map that never changes. */
  Map<Key, Long> of(String host) {
    HostCounts c = byHost.get(host);
    return c == null ? Map.of() : c.counts();
  }

  /** The hosts with counts now. */
  Set<String> hosts() {
    return new HashSet<>(byHost.keySet());
  }

  /** Drops the counts of the hosts in {@code candidates} that {@code known} does not list. */
  void retainHosts(Set<String> candidates, Set<String> known) {
    for (String id : candidates) {
      if (!known.contains(id)) {
        byHost.remove(id);
      }
    }
  }
}
