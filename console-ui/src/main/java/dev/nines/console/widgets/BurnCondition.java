package dev.nines.console.widgets;

/**
 * One multi-window burn-rate alert condition as {@code GET /api/v1/pools/{id}} gives it in
 * {@code slo.conditions}: it fires when both the long and the short window burn the error budget at
 * least {@code threshold} times faster than allowed. A rate that is not available is NaN.
 *
 * @param name e.g. {@code page-14.4x-1h-5m}
 * @param severity e.g. {@code page} or {@code ticket}
 * @param threshold the burn rate both windows must reach (14.4)
 * @param longWindow the long window's label ({@code 1h})
 * @param shortWindow the short window's label ({@code 5m})
 * @param longRate the long window's burn rate; NaN = not available
 * @param shortRate the short window's burn rate; NaN = not available
 * @param firing whether the backend says the condition fires
 */
public record BurnCondition(
    String name,
    String severity,
    double threshold,
    String longWindow,
    String shortWindow,
    double longRate,
    double shortRate,
    boolean firing) {

  /** What the indicator shows. */
  public enum State {
    /** Both windows over the threshold: the alert fires. */
    FIRING,
    /** One window over the threshold: close to firing (or recovering). */
    ELEVATED,
    /** Both windows under the threshold. */
    OK,
    /** No rate available. */
    UNKNOWN
  }

  public BurnCondition {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (!(threshold > 0)) {
      throw new IllegalArgumentException("threshold must be positive, was " + threshold);
    }
    severity = severity == null ? "" : severity;
    longWindow = longWindow == null ? "" : longWindow;
    shortWindow = shortWindow == null ? "" : shortWindow;
  }

  /** The state: FIRING as the backend says, else ELEVATED when one window is over, OK, UNKNOWN. */
  public State state() {
    if (firing) {
      return State.FIRING;
    }
    if (Double.isNaN(longRate) && Double.isNaN(shortRate)) {
      return State.UNKNOWN;
    }
    return longRate >= threshold || shortRate >= threshold ? State.ELEVATED : State.OK;
  }
}
