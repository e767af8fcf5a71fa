package dev.nines.server.actuate;

import dev.nines.protocol.RoutingState;
import java.util.Locale;

/**
 * A load balancer's administrative state for one server, as HAProxy's runtime API names it. It is
 * coarser than {@link RoutingState}: DRAINING and DRAINED are both "drain" to a load balancer (the
 * difference is whether in-flight work is left, which the backend tracks itself).
 */
public enum AdminState {
  /** Takes new requests. */
  READY,
  /** Keeps its in-flight work, takes no new requests (sticky sessions aside). */
  DRAIN,
  /** Out of rotation. */
  MAINT;

  /** The state a load balancer should hold for a host in the given routing state. */
  public static AdminState of(RoutingState state) {
    switch (state) {
      case ACTIVE:
        return READY;
      case DRAINING:
      case DRAINED:
        return DRAIN;
      case MAINTENANCE:
        return MAINT;
      default:
        throw new AssertionError(state);
    }
  }

  /** The word HAProxy's {@code set server ... state} takes: ready, drain or maint. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
