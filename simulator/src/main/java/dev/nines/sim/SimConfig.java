package dev.nines.sim;

/**
 * How a simulated fleet is laid out. Built once, validated here, never changed.
 *
 * @param bindHost address every server listens on
 * @param firstPort port of the first model server; the others follow on consecutive ports. 0 gives
 *     every server its own ephemeral port
 * @param count how many model servers
 * @param controlPort port of the fleet's control server; 0 for an ephemeral port, -1 for none
 * @param baseLatencyMs latency of an inference request before jitter, tokens and faults
 * @param gpusPerServer simulated GPUs behind each model server
 * @param model model name served and reported in metrics
 * @param seed seed of every random choice (jitter, injected errors), so runs repeat
 */
public record SimConfig(
    String bindHost,
    int firstPort,
    int count,
    int controlPort,
    long baseLatencyMs,
    int gpusPerServer,
    String model,
    long seed) {

  /** Most model servers one fleet runs. */
  public static final int MAX_COUNT = 64;

  /** Most simulated GPUs behind one server (a GpuSection holds at most 64). */
  public static final int MAX_GPUS = 16;

  public SimConfig {
    if (bindHost == null || bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost must not be blank");
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "count must be between 1 and " + MAX_COUNT + " (was " + count + ")");
    }
    if (firstPort < 0 || (firstPort > 0 && firstPort + count - 1 > 65535)) {
      throw new IllegalArgumentException(
          "firstPort must be 0 or leave room for " + count + " ports below 65536 (was "
              + firstPort + ")");
    }
    if (controlPort < -1 || controlPort > 65535) {
      throw new IllegalArgumentException(
          "controlPort must be -1 (none), 0 (ephemeral) or a port (was " + controlPort + ")");
    }
    if (controlPort > 0 && firstPort > 0 && controlPort >= firstPort
        && controlPort < firstPort + count) {
      throw new IllegalArgumentException(
          "controlPort " + controlPort + " collides with the model ports " + firstPort + ".."
              + (firstPort + count - 1));
    }
    if (baseLatencyMs < 0 || baseLatencyMs > 600_000) {
      throw new IllegalArgumentException(
          "baseLatencyMs must be between 0 and 600000 (was " + baseLatencyMs + ")");
    }
    if (gpusPerServer < 0 || gpusPerServer > MAX_GPUS) {
      throw new IllegalArgumentException(
          "gpusPerServer must be between 0 and " + MAX_GPUS + " (was " + gpusPerServer + ")");
    }
    if (model == null || model.isBlank() || model.length() > 256) {
      throw new IllegalArgumentException("model must be 1..256 characters");
    }
  }

  /** One server on 127.0.0.1:8000, control on 7999, 40 ms, 2 GPUs, "sim-llama-3-8b", seed 42. */
  public static SimConfig defaults() {
    return new SimConfig("127.0.0.1", 8000, 1, 7999, 40, 2, "sim-llama-3-8b", 42L);
  }

  /** The same layout on ephemeral ports (for tests and embedding). */
  public SimConfig withEphemeralPorts() {
    return new SimConfig(bindHost, 0, count, controlPort == -1 ? -1 : 0, baseLatencyMs,
        gpusPerServer, model, seed);
  }

  /** The same layout with another number of servers. */
  public SimConfig withCount(int newCount) {
    return new SimConfig(bindHost, firstPort, newCount, controlPort, baseLatencyMs, gpusPerServer,
        model, seed);
  }

  /** The same layout with another base latency. */
  public SimConfig withBaseLatencyMs(long newBaseLatencyMs) {
    return new SimConfig(bindHost, firstPort, count, controlPort, newBaseLatencyMs, gpusPerServer,
        model, seed);
  }
}
