package dev.nines.console.alerts;

import dev.nines.console.client.Silence;

/** One line of the silences list, written for people. */
public record SilenceRow(
    String id, String matchers, String comment, String author, String starts, String ends, String state, Silence silence) {
  /** Whether it may still be expired (active or pending). */
  public boolean expirable() {
    return !"expired".equals(state);
  }
}
