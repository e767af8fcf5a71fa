package dev.nines.console.alerts;

import java.time.Duration;
import java.util.List;

/**
 * A silence about to be created, prefilled from an alert's labels.
 *
 * @param matchers {@code label=value} each
 * @param duration from now
 * @param comment why (required)
 */
public record SilenceDraft(List<String> matchers, Duration duration, String comment) {
  public SilenceDraft {
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
  }
}
