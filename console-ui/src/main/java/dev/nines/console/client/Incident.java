package dev.nines.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An incident. {@code closedAt} and {@code durationMs} are null while it is open; {@code timeline}
 * is empty in lists (only {@code GET /api/v1/incidents/{id}} has it). Times are epoch ms.
 *
 * @param kind {@code host} or {@code pool}
 * @param subject the host id or pool name
 * @param state {@code open} or {@code closed}
 * @param severity the worst state seen
 * @param currentState the subject's state now
 * @param cause the rules, reason and figures that opened it (JSON), or null
 */
public record Incident(
    long id, String kind, String subject, String state, String severity, String currentState, long openedAt,
    Long closedAt, Long durationMs, JsonNode cause, List<Action> actions, List<Entry> timeline) {
  public Incident {
    actions = actions == null ? List.of() : List.copyOf(actions);
    timeline = timeline == null ? List.of() : List.copyOf(timeline);
  }

  /** Whether it is still open. */
  public boolean isOpen() {
    return "open".equals(state);
  }

  /** An action taken during the incident. */
  public record Action(long at, String text) {}

  /** A timeline line: {@code type} opened, changed, action or closed. */
  public record Entry(long at, String type, String state, String text, JsonNode detail) {}

  /**
   * Which incidents to list; every field optional (null).
   *
   * @param state {@code open}, {@code closed} or {@code all}
   * @param kind {@code host} or {@code pool}
   * @param subject a host id or pool name
   * @param limit page size 1..1000, or null for the server's default (100)
   */
  public record Filter(String state, String kind, String subject, Integer limit) {
    /** Every incident, default page size. */
    public static final Filter ALL = new Filter(null, null, null, null);
  }
}
