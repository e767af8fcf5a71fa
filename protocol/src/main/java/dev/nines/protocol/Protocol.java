package dev.nines.protocol;

/** Constants of the wire protocol. */
public final class Protocol {
  /** The version this code writes. Readers accept 1..CURRENT_VERSION. */
  public static final int CURRENT_VERSION = 1;

  /** Largest report body the backend accepts, in bytes. */
  public static final int MAX_REPORT_BYTES = 1 << 20;

  /** Paths of the backend API used by the agent. */
  public static final String REPORTS_PATH = "/api/v1/reports";

  private Protocol() {}

  /**
   * True for a valid agent or host id: 1-128 characters of letters, digits and {@code . _ : @ -},
   * starting with a letter or digit.
   */
  public static boolean isValidId(String id) {
    return id != null && Check.ID.matcher(id).matches();
  }

  static int version(int v) {
    if (v < 1 || v > CURRENT_VERSION) {
      throw new IllegalArgumentException(
          "version must be between 1 and " + CURRENT_VERSION + " (was " + v + ")");
    }
    return v;
  }
}
