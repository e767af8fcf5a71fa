package dev.nines.console.pools;

/**
 * One pool in the list; availabilities null when not available.
 *
 * @param required members the capacity guard requires now
 */
public record PoolRow(
    String name, String state, int membersUp, int memberCount, int required, Double availability1h,
    Double availability1d, Double availability30d, Double sloTarget) {
  public PoolRow {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    state = state == null ? "UNKNOWN" : state;
  }
}
