package dev.nines.console.client;

import java.util.Objects;

/**
 * A backend call that did not give an answer the caller can use. {@link #kind()} says what went
 * wrong in terms an operator acts on; {@link #operatorMessage()} is one line to show as it is;
 * {@link #error()} and {@link #detail()} are the server's own JSON {@code error} and {@code detail}
 * (null when the server did not answer).
 */
public final class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** 401: no, unknown or revoked token. */
    UNAUTHORIZED,
    /** 403: the token's role may not do this. */
    FORBIDDEN,
    /** 404: unknown host, pool, incident, alert, silence or route. */
    NOT_FOUND,
    /** 400 and other 4xx: the request was wrong (the detail names the field). */
    BAD_REQUEST,
    /** 409: the current state refuses the request (not a guard refusal: that is a result). */
    CONFLICT,
    /** The server could not be reached (connection refused, unknown host, connection lost). */
    UNREACHABLE,
    /** The server did not answer in time. */
    TIMEOUT,
    /** 5xx: the server failed (503: storage or queue busy, retry later). */
    SERVER
  }

  private final Kind kind;
  private final int status;
  private final String error;
  private final String detail;
  private final String operatorMessage;

  /**
   * @param kind what went wrong
   * @param status the HTTP status, or 0 when no answer came
   * @param error the server's {@code error}, or null
   * @param detail the server's {@code detail} as text (a JSON value other than a string is kept as
   *     JSON), or null
   * @param operatorMessage one line for people
   * @param cause the I/O failure, or null
   */
  public BackendException(
      Kind kind, int status, String error, String detail, String operatorMessage, Throwable cause) {
    super(operatorMessage, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.error = error;
    this.detail = detail;
    this.operatorMessage = Objects.requireNonNull(operatorMessage, "operatorMessage");
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when the server did not answer. */
  public int status() {
    return status;
  }

  /** The server's JSON {@code error}, or null. */
  public String error() {
    return error;
  }

  /** The server's JSON {@code detail} (text, or JSON for an object), or null. */
  public String detail() {
    return detail;
  }

  /** What an operator is told when the server refuses the token (401), on any call or the event stream. */
  public static final String TOKEN_REFUSED =
      "The token was refused (401): check it or create one with ./nines server token create";

  /** One line for an operator, e.g. "The token was refused (401): check it or create one with ...". */
  public String operatorMessage() {
    return operatorMessage;
  }

  /** The kind a status maps to (any 2xx is not an error and has no kind: null). */
  public static Kind kindOf(int status) {
    if (status >= 200 && status < 300) {
      return null;
    }
    switch (status) {
      case 401:
        return Kind.UNAUTHORIZED;
      case 403:
        return Kind.FORBIDDEN;
      case 404:
        return Kind.NOT_FOUND;
      case 409:
        return Kind.CONFLICT;
      default:
        return status >= 500 ? Kind.SERVER : Kind.BAD_REQUEST;
    }
  }

  /** The exception for a non-2xx answer, with a one-line message built from the server's words. */
  static BackendException ofStatus(int status, String error, String detail, String what) {
    Kind kind = kindOf(status);
    String server = error == null ? "" : ": " + error + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    String line;
    switch (kind) {
      case UNAUTHORIZED:
        line = TOKEN_REFUSED;
        break;
      case FORBIDDEN:
        line = "This token's role may not " + what + " (403)" + server;
        break;
      case NOT_FOUND:
        line = "Not found (404) while trying to " + what + server;
        break;
      case CONFLICT:
        line = "Refused in the current state (409)" + server;
        break;
      case SERVER:
        line = "The server failed (" + status + ") while trying to " + what + server
            + (status == 503 ? "; retry in a moment" : "; see the server's log");
        break;
      default:
        line = "The server refused the request (" + status + ")" + server;
    }
    return new BackendException(kind, status, error, detail, line, null);
  }
}
