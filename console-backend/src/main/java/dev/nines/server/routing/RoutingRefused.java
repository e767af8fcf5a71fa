package dev.nines.server.routing;

/**
 * An operator action that cannot be carried out; nothing was changed. The API answers {@code
 * status} with {@code {"error": error, "detail": detail}}.
 */
public final class RoutingRefused extends RuntimeException {
  private final int status;
  private final transient Object detail;

  public RoutingRefused(int status, String error, Object detail) {
    super(error);
    this.status = status;
    this.detail = detail;
  }

  /** 404 for an unknown host or pool, 409 for an action the current state or the guard refuses. */
  public int status() {
    return status;
  }

  /** What the caller needs to understand the refusal (the guard's verdict, the current state). */
  public Object detail() {
    return detail;
  }
}
