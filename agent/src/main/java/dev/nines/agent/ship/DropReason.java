package dev.nines.agent.ship;

/** Why a report was given up on instead of delivered. {@link #label()} is the metric label. */
public enum DropReason {
  /** The backend answered 400: the report is invalid and would be refused forever. */
  BAD_REQUEST("bad_request"),
  /** 413, or a report larger than {@code Protocol.MAX_REPORT_BYTES} before it was sent. */
  TOO_LARGE("too_large"),
  /** 422: well-formed but refused. */
  UNPROCESSABLE("unprocessable"),
  /** The spool was full and its oldest report was deleted. */
  SPOOL_FULL("spool_full"),
  /** A spooled report was found corrupt or unreadable. */
  SPOOL_CORRUPT("spool_corrupt");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The reason for a poison answer status, or null when the status is not one. */
  static DropReason forPoisonStatus(int status) {
    switch (status) {
      case 400:
        return BAD_REQUEST;
      case 413:
        return TOO_LARGE;
      case 422:
        return UNPROCESSABLE;
      default:
        return null;
    }
  }
}
