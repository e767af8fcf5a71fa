package dev.nines.protocol;

/**
 * The body of every error answer of the backend API.
 *
 * @param error a short, stable description (e.g. "invalid report")
 * @param detail what exactly was wrong (field name and value), or null
 */
public record ApiError(String error, Object detail) {
  public ApiError {
    Check.text("error", error, 256);
  }
}
