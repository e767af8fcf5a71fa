package dev.nines.console.incidents;

import dev.nines.console.client.Incident;

/**
 * One line of the incidents table, written for people.
 *
 * @param opened when it opened (UTC)
 * @param duration how long it lasted, or has lasted so far ("12m 03s, open")
 * @param cause the reason or rules that opened it
 * @param incident the incident as the server sent it
 */
public record IncidentRow(
    long id, String kind, String subject, String state, String severity, String currentState, String opened,
    String duration, String cause, Incident incident) {
  /** Whether it is still open. */
  public boolean open() {
    return incident.isOpen();
  }
}
