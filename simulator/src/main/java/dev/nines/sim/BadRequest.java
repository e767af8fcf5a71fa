package dev.nines.sim;

/** The caller's mistake: answered with a 4xx and {@code {"error": ..., "detail": ...}}. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String detail;

  BadRequest(String error, String detail) {
    this(400, error, detail);
  }

  BadRequest(int status, String error, String detail) {
    super(error);
    this.status = status;
    this.detail = detail;
  }

  int status() {
    return status;
  }

  String error() {
    return getMessage();
  }

  String detail() {
    return detail;
  }
}
