package dev.nines.server.store;

import dev.nines.server.leader.Lease;

/**
 * A leader-only write was refused because its fencing token is no longer the lease's: the replica
 * that tried it has been deposed (another replica leads, or its lease ran out). Nothing was written.
 */
public final class FencedException extends RuntimeException {
  private final transient Lease current;

  FencedException(String lease, long token, Lease current) {
    super(
        "fenced: token " + token + " of lease '" + lease + "' is no longer current ("
            + (current == null ? "no lease" : "held by " + current.holder() + " with token " + current.token()) + ")");
    this.current = current;
  }

  /** The lease as it was when the write was refused, or null when there is none. */
  public Lease current() {
    return current;
  }
}
