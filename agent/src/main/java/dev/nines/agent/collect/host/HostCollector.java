package dev.nines.agent.collect.host;

import dev.nines.protocol.HostMetrics;

/**
 * Reads the host's CPU, memory, file system and network figures. Each call covers the interval
 * since the previous call; the first call has no interval, so its rates and CPU ratio are null.
 * Not thread-safe: one scheduler thread calls it.
 */
public interface HostCollector {
  HostMetrics collect();
}
