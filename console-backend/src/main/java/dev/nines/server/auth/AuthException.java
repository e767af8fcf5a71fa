package dev.nines.server.auth;

/** A request without a valid token (401) or with one whose role may not do this (403). */
public final class AuthException extends RuntimeException {
  private final int status;

  private AuthException(int status, String message) {
    super(message);
    this.status = status;
  }

  static AuthException unauthorized(String detail) {
    return new AuthException(401, detail);
  }

  static AuthException forbidden(String detail) {
    return new AuthException(403, detail);
  }

  /** 401 or 403. */
  public int status() {
    return status;
  }

  /** The short error text for the JSON answer. */
  public String error() {
    return status == 401 ? "unauthorized" : "forbidden";
  }
}
