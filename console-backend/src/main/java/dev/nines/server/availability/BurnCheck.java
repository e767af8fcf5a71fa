package dev.nines.server.availability;

import java.util.OptionalDouble;

/**
 * One multi-window condition evaluated at {@code now}.
 *
 * @param condition the condition (its name, threshold and windows)
 * @param longRate the burn rate over its long window
 * @param shortRate the burn rate over its short window
 * @param firing true when both exceed the threshold
 */
public record BurnCheck(BurnCondition condition, OptionalDouble longRate, OptionalDouble shortRate, boolean firing) {
  public BurnCheck {
    if (condition == null) {
      throw new IllegalArgumentException("condition is required");
    }
    if (longRate == null) {
      throw new IllegalArgumentException("longRate is required");
    }
    if (shortRate == null) {
      throw new IllegalArgumentException("shortRate is required");
    }
  }
}
