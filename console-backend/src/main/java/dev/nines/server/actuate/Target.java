package dev.nines.server.actuate;

/**
 * What an actuator acts on: one host of one pool.
 *
 * @param pool the pool the host serves (an actuator is usually configured per pool)
 * @param hostId the host's id, as its agent reports it
 */
public record Target(String pool, String hostId) {
  public Target {
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool must not be blank");
    }
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId must not be blank");
    }
  }

  @Override
  public String toString() {
    return pool + "/" + hostId;
  }
}
