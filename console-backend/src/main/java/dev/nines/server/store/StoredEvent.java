package dev.nines.server.store;

/**
 * One durable event of the event stream.
 *
 * @param id its id: grows with every event, across restarts
 * @param atMs when it was stored (epoch ms, server clock)
 * @param type the SSE event name ({@code health}, {@code incident.opened}, ...)
 * @param dataJson its payload, a JSON object
 */
public record StoredEvent(long id, long atMs, String type, String dataJson) {
  public StoredEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("type is required");
    }
    if (dataJson == null) {
      throw new IllegalArgumentException("dataJson is required");
    }
  }
}
