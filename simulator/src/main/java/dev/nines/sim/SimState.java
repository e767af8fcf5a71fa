package dev.nines.sim;

import java.util.List;

/**
 * What one simulated model server is doing, as {@code GET /sim/state} shows it.
 *
 * @param index the server's place in its fleet, from 0
 * @param port the model port
 * @param url the model server's base URL
 * @param faults the faults in force
 * @param extraLatencyMs latency added by {@code slow}
 * @param errorRate share of inference requests answered with a 500
 * @param hang whether inference requests are held unanswered
 * @param down whether the model port has stopped listening
 * @param requestsServed inference requests answered 2xx since start
 * @param requestsFailed inference requests answered 5xx since start (injected errors, released
 *     hangs)
 * @param requestsRejected inference requests answered 4xx since start
 * @param requestsHung inference requests held by {@code hang} right now
 * @param requestsAbandoned inference requests whose client gave up before the answer (a client or
 *     load balancer timeout), since start
 * @param running inference requests in flight right now (hung ones included)
 * @param gpus the simulated GPUs, lost ones included
 */
public record SimState(
    int index,
    int port,
    String url,
    List<ActiveFault> faults,
    long extraLatencyMs,
    double errorRate,
    boolean hang,
    boolean down,
    long requestsServed,
    long requestsFailed,
    long requestsRejected,
    int requestsHung,
    long requestsAbandoned,
    int running,
    List<GpuSummary> gpus) {

  public SimState {
    faults = List.copyOf(faults);
    gpus = List.copyOf(gpus);
  }

  /**
   * A fault in force.
   *
   * @param fault the fault as posted
   * @param sinceMs when it was applied, epoch ms
   * @param untilMs when it clears itself, epoch ms, or null
   */
  public record ActiveFault(Fault fault, long sinceMs, Long untilMs) {}

  /**
   * One simulated GPU in brief.
   *
   * @param index GPU index
   * @param uuid its stable UUID
   * @param lost whether it has disappeared from {@code /sim/gpus}
   * @param hot whether {@code gpu-hot} holds it
   * @param utilRatio utilisation 0..1
   * @param temperatureC temperature
   * @param eccUncorrectedVolatile volatile uncorrectable ECC errors
   * @param pendingXids XID events waiting for the next read of {@code /sim/gpus}
   */
  public record GpuSummary(
      int index,
      String uuid,
      boolean lost,
      boolean hot,
      double utilRatio,
      double temperatureC,
      long eccUncorrectedVolatile,
      int pendingXids) {}
}
