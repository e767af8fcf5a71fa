package dev.nines.agent.net;

import java.io.IOException;

/** An exchange that took longer than allowed: to connect, or to answer in full. */
public final class RequestTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean connecting;

  RequestTimeoutException(String message, boolean connecting) {
    super(message);
    this.connecting = connecting;
  }

  /** True when the connection could not be made in time; false when the answer was late. */
  public boolean connecting() {
    return connecting;
  }
}
