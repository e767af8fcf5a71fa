package dev.nines.server.policy;

import java.util.List;

/**
 * The outcome of one evaluation of one pool.
 *
 * @param decisions what to do, in the order to do it
 * @param events every decision and every newly applying refusal, and the N+1 verdict when it changed
 * @param memory the memory to pass to the next evaluation of this pool
 * @param nPlusOne the pool's N+1 verdict now
 */
public record Evaluation(List<Decision> decisions, List<PolicyEvent> events, PolicyMemory memory, NPlusOne nPlusOne) {
  public Evaluation {
    if (decisions == null || events == null) {
      throw new IllegalArgumentException("decisions and events are required");
    }
    if (memory == null) {
      throw new IllegalArgumentException("memory is required");
    }
    if (nPlusOne == null) {
      throw new IllegalArgumentException("nPlusOne is required");
    }
    decisions = List.copyOf(decisions);
    events = List.copyOf(events);
  }
}
