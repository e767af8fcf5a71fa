package dev.nines.server.availability;

import dev.nines.server.health.Health;
import dev.nines.protocol.RoutingState;
import java.time.Duration;
import java.time.Instant;

/** Test helpers: times as minutes after T0, states by name. */
final class Timelines {
  static final Instant T0 = Instant.parse("2024-03-31T00:00:00Z");
  static final long MIN = 60_000L;

  private Timelines() {}

  static Instant min(double minutes) {
    return T0.plusMillis(Math.round(minutes * MIN));
  }

  static Window window(double fromMin, double toMin) {
    return new Window(min(fromMin), min(toMin));
  }

  static StateChange healthy(double atMin) {
    return new StateChange(min(atMin), Health.HEALTHY, RoutingState.ACTIVE);
  }

  static StateChange unhealthy(double atMin) {
    return new StateChange(min(atMin), Health.UNHEALTHY, RoutingState.ACTIVE);
  }

  static StateChange degraded(double atMin) {
    return new StateChange(min(atMin), Health.DEGRADED, RoutingState.ACTIVE);
  }

  static StateChange unknown(double atMin) {
    return new StateChange(min(atMin), Health.UNKNOWN, RoutingState.ACTIVE);
  }

  static StateChange routed(double atMin, Health health, RoutingState routing) {
    return new StateChange(min(atMin), health, routing);
  }

  static MaintenanceWindow maintenance(double fromMin, double toMin) {
    return new MaintenanceWindow(min(fromMin), min(toMin));
  }

  static long minutes(double m) {
    return Math.round(m * MIN);
  }

  static Duration mins(long m) {
    return Duration.ofMinutes(m);
  }
}
