package dev.nines.agent.json;

/**
 * Input that is not the JSON expected: malformed text (with the offset where reading stopped) or
 * a well-formed document whose field has the wrong type (with the field's path).
 */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  JsonException(String message, long offset) {
    super(message, null, false, false);
    this.offset = offset;
  }

  /** Character offset in the input where reading stopped; -1 for a mapping error. */
  public long offset() {
    return offset;
  }
}
