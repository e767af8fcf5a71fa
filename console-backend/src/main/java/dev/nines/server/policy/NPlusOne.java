package dev.nines.server.policy;

/**
 * Would the pool still meet its guard if its largest member failed? Every host counts as one, so the
 * largest member is any serving member: {@code ok = serving - 1 >= required}.
 *
 * @param ok the pool survives losing one serving member
 * @param serving members in rotation and HEALTHY or DEGRADED (of the active side, for a pool with sides)
 * @param required what the guard requires
 * @param reason a sentence for people
 */
public record NPlusOne(boolean ok, int serving, int required, String reason) {
  public NPlusOne {
    if (serving < 0) {
      throw new IllegalArgumentException("serving must be >= 0 (was " + serving + ")");
    }
    if (required < 0) {
      throw new IllegalArgumentException("required must be >= 0 (was " + required + ")");
    }
    if (ok != (serving - 1 >= required)) {
      throw new IllegalArgumentException(
          "ok must be serving - 1 >= required (ok " + ok + ", serving " + serving + ", required " + required + ")");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
  }

  /** The verdict for a pool with {@code serving} serving members that needs {@code required}. */
  public static NPlusOne of(int serving, int required) {
    boolean ok = serving - 1 >= required;
    String reason =
        ok
            ? serving + " serving, " + required + " required: losing one member leaves " + (serving - 1)
            : serving + " serving, " + required + " required: losing one member leaves " + Math.max(0, serving - 1)
                + ", below the guard";
    return new NPlusOne(ok, serving, required, reason);
  }
}
