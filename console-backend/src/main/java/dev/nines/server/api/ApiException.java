package dev.nines.server.api;

import java.util.Map;

/**
 * A request that cannot be served as asked. Becomes the JSON answer {@code {"error", "detail"}} with
 * this status (and these extra headers) in {@link ApiErrors}.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;
  private final Object detail;
  private final Map<String, String> headers;

  public ApiException(int status, String error, Object detail) {
    this(status, error, detail, Map.of());
  }

  public ApiException(int status, String error, Object detail, Map<String, String> headers) {
    super(error + (detail == null ? "" : ": " + detail));
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 400..599 (was " + status + ")");
    }
    this.status = status;
    this.error = error;
    this.detail = detail;
    this.headers = Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public Object detail() {
    return detail;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
