package dev.nines.console.client;

import java.util.List;

/**
 * The event stream's types and the payloads the console reads typed ({@code event.as(Events.Health.class)});
 * the others ({@code pool.state}, {@code incident.*}, {@code policy.*}, {@code failover}) are read
 * with {@link ServerEvent#json()}. Times are epoch ms.
 */
public final class Events {
  /** A host's health changed (durable). */
  public static final String HEALTH = "health";
  /** A host's routing state changed (durable): DRAINING, DRAINED, MAINTENANCE, ACTIVE. */
  public static final String ROUTING = "routing";
  /** A pool's state changed (durable). */
  public static final String POOL_STATE = "pool.state";
  /** An incident opened (durable). */
  public static final String INCIDENT_OPENED = "incident.opened";
  /** An incident changed (durable). */
  public static final String INCIDENT_UPDATED = "incident.updated";
  /** An incident closed (durable). */
  public static final String INCIDENT_CLOSED = "incident.closed";
  /** A report was stored (live only, no id): refresh the host's figures. */
  public static final String REPORT = "report";

  private Events() {}

  /** {@code health}: from one state to another, the rules that fired and why. */
  public record Health(String hostId, String from, String to, long at, List<String> rules, String reason) {
    public Health {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /**
   * {@code routing}: a host's desired routing state changed.
   *
   * @param changedBy {@code operator:<name>}, {@code policy}, {@code policy:quarantine}, {@code system}
   * @param untilMs the end of a maintenance, or null
   */
  public record Routing(
      String host, String pool, String from, String to, String reason, String changedBy, Long untilMs, long at) {}

  /** {@code report}: a host's report was stored. */
  public record Report(String hostId, long seq, long collectedAtMs) {}
}
