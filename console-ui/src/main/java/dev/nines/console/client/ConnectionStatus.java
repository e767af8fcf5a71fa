package dev.nines.console.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A change of the event stream's state, as told to listeners.
 *
 * @param state the new state
 * @param reason one line for people (what happened and what happens next)
 * @param at when (the stream's clock)
 * @param retryIn the delay before the next try, or null when none is planned
 */
public record ConnectionStatus(ConnectionState state, String reason, Instant at, Duration retryIn) {
  public ConnectionStatus {
    if (state == null) {
      throw new IllegalArgumentException("state is required");
    }
    if (reason == null) {
      throw new IllegalArgumentException("reason is required");
    }
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
  }
}
