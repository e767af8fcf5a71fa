package dev.nines.console.actions;

import dev.nines.console.client.ActionOutcome;
import java.time.Duration;
import java.util.List;

/**
 * What the server's dry run (or answer) says an action does, as the dialog shows it.
 *
 * @param subject the host or pool
 * @param pool the host's pool, or null
 * @param from routing state (or active side) before
 * @param to routing state (or active side) after
 * @param activeNow active members now, or null when the guard was not asked (the action adds capacity)
 * @param activeAfter active members afterwards, or null
 * @param required what the guard requires, or null
 * @param allowed the guard's verdict, or null when it was not asked
 * @param guardReason the guard's sentence, or null
 * @param refusal the server's sentence for a refusal, or null
 * @param steps what happens next
 * @param timeout how long the drain or failover waits at most, or null
 */
public record Impact(
    String subject, String pool, String from, String to, Integer activeNow, Integer activeAfter, Integer required,
    Boolean allowed, String guardReason, String refusal, List<String> steps, Duration timeout) {
  public Impact {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** Reads an outcome of the client. */
  public static Impact of(ActionOutcome outcome) {
    ActionOutcome.Plan p = outcome.plan();
    ActionOutcome.Guard g = p.guard();
    return new Impact(
        p.subject(), p.pool(), p.from(), p.to(),
        g == null ? null : g.activeNow(), g == null ? null : g.activeAfter(), g == null ? null : g.required(),
        g == null ? null : g.allowed() && !outcome.refused(), g == null ? null : g.reason(), outcome.refusal(),
        p.steps(), p.timeoutMs() == null ? null : Duration.ofMillis(p.timeoutMs()));
  }

  /** Whether the guard refuses (a forced action is needed). */
  public boolean refused() {
    return Boolean.FALSE.equals(allowed);
  }

  /** One line for the guard: "Guard refuses: 1 active now, 0 after, 1 required. <reason>". */
  public String verdict() {
    if (allowed == null) {
      return "Capacity guard: not asked (this adds capacity)";
    }
    String head = allowed ? "Capacity guard allows" : "Capacity guard refuses";
    String figures = activeNow + " active now, " + activeAfter + " after, " + required + " required";
    String why = guardReason == null || guardReason.isBlank() ? "" : ". " + guardReason;
    return head + ": " + figures + why;
  }

  /** "ACTIVE -> DRAINING" (or the sides of a failover). */
  public String change() {
    return (from == null ? "?" : from) + " -> " + (to == null ? "?" : to);
  }
}
