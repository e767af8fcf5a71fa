package dev.nines.server.store;

/**
 * One stored line of an incident's timeline.
 *
 * @param incidentId the incident (0 in a record handed to the store, which assigns it)
 * @param seq its place in the timeline from 1 (0 in a record handed to the store)
 * @param atMs when (epoch ms)
 * @param type {@code opened}, {@code changed}, {@code action} or {@code closed}
 * @param state the subject's state after it, or null (an action)
 * @param text a sentence for people
 * @param detailJson its figures, a JSON object
 */
public record IncidentEventRecord(
    long incidentId, int seq, long atMs, String type, String state, String text, String detailJson) {
  public IncidentEventRecord {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("type is required");
    }
    if (text == null) {
      throw new IllegalArgumentException("text is required");
    }
    if (detailJson == null) {
      throw new IllegalArgumentException("detailJson is required");
    }
  }
}
