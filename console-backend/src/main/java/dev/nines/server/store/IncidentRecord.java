package dev.nines.server.store;

/**
 * One stored incident.
 *
 * @param id its id (assigned by the store; 0 in a record handed to {@link Store#openIncident})
 * @param kind {@code host} or {@code pool}
 * @param subject the host id or pool name
 * @param state {@code open} or {@code closed}
 * @param severity the worst state seen (a health or pool state name)
 * @param currentState the subject's latest state seen by the incident
 * @param openedAtMs when it opened (epoch ms)
 * @param closedAtMs when it closed, or null while open
 * @param causeJson what opened it, a JSON object
 */
public record IncidentRecord(
    long id, String kind, String subject, String state, String severity, String currentState,
    long openedAtMs, Long closedAtMs, String causeJson) {
  public static final String OPEN = "open";
  public static final String CLOSED = "closed";

  public IncidentRecord {
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("kind is required");
    }
    if (subject == null || subject.isEmpty()) {
      throw new IllegalArgumentException("subject is required");
    }
    if (!OPEN.equals(state) && !CLOSED.equals(state)) {
      throw new IllegalArgumentException("state must be open or closed (was " + state + ")");
    }
    if (severity == null || currentState == null) {
      throw new IllegalArgumentException("severity and currentState are required");
    }
    if (CLOSED.equals(state) != (closedAtMs != null)) {
      throw new IllegalArgumentException("closedAtMs must be set exactly when state is closed");
    }
    if (causeJson == null) {
      throw new IllegalArgumentException("causeJson is required");
    }
  }
}
