package dev.nines.server.incident;

import java.time.Instant;

/**
 * A pool's state changed.
 *
 * @param pool the pool
 * @param from the state before
 * @param to the state after ({@code status.state()})
 * @param at when
 * @param status the figures behind {@code to}
 */
public record PoolStateChange(String pool, PoolState from, PoolState to, Instant at, PoolStatus status) {
  public PoolStateChange {
    if (pool == null || from == null || to == null || at == null || status == null) {
      throw new IllegalArgumentException("pool, from, to, at and status are required");
    }
    if (from == to) {
      throw new IllegalArgumentException("from and to must differ (were " + from + ")");
    }
    if (status.state() != to) {
      throw new IllegalArgumentException("status.state (" + status.state() + ") must be to (" + to + ")");
    }
  }
}
