package dev.nines.console.pools;

/**
 * One member of the selected pool.
 *
 * @param side its failover side, or empty for a pool without sides
 * @param serving it counts as serving now
 */
public record MemberRow(String id, String health, String routing, String routingReason, boolean serving, String side) {
  public MemberRow {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    health = health == null ? "UNKNOWN" : health;
    routing = routing == null ? "ACTIVE" : routing;
    routingReason = routingReason == null ? "" : routingReason;
    side = side == null ? "" : side;
  }
}
