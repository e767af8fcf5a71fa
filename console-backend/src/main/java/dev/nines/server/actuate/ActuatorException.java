package dev.nines.server.actuate;

/**
 * An actuator could not apply or observe a state: the load balancer refused (its own message is in
 * ours), could not be reached, timed out, or answered something we could not read.
 */
public final class ActuatorException extends Exception {
  private static final long serialVersionUID = 1L;

  public ActuatorException(String message) {
    super(message);
  }

  public ActuatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
