package dev.nines.server.actuate;

import java.util.OptionalInt;

/**
 * One server's row of HAProxy's {@code show stat}: the figures graceful drain needs.
 *
 * @param backend the backend's name ({@code pxname})
 * @param server the server's name ({@code svname})
 * @param currentSessions sessions open to the server now ({@code scur}): requests in flight
 * @param queued requests waiting in the server's queue ({@code qcur})
 * @param status HAProxy's status word, e.g. {@code UP}, {@code DRAIN}, {@code MAINT}, {@code no check}
 * @param weight the effective weight, empty where HAProxy leaves it blank
 */
public record ServerStat(
    String backend, String server, long currentSessions, long queued, String status, OptionalInt weight) {
  public ServerStat {
    if (backend == null || backend.isBlank()) {
      throw new IllegalArgumentException("backend must not be blank");
    }
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("server must not be blank");
    }
    if (currentSessions < 0) {
      throw new IllegalArgumentException("currentSessions must be >= 0: " + currentSessions);
    }
    if (queued < 0) {
      throw new IllegalArgumentException("queued must be >= 0: " + queued);
    }
    status = status == null ? "" : status;
    weight = weight == null ? OptionalInt.empty() : weight;
  }

  /** Work the server still holds: open sessions plus queued requests. */
  public long inFlight() {
    return currentSessions + queued;
  }
}
