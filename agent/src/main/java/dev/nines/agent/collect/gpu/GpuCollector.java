package dev.nines.agent.collect.gpu;

import dev.nines.protocol.GpuSection;

/**
 * Reads the host's GPUs. {@link #collect()} never throws for a missing driver or library: it
 * returns an unavailable section that says why, and the agent keeps running. Open one with {@link
 * GpuCollectors#open}; close it once at shutdown.
 */
public interface GpuCollector extends AutoCloseable {
  /** The GPUs now, with the XID events seen since the previous call. */
  GpuSection collect();

  /** Releases the driver (NVML shutdown). Idempotent; later collects answer "unavailable". */
  @Override
  void close();
}
