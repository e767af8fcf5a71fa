package dev.nines.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One server-sent event.
 *
 * @param id the durable id ({@code health}, {@code routing}, {@code incident.*} ...), or null for a
 *     live-only event ({@code report})
 * @param type the event name ({@code message} when the server named none)
 * @param data the data lines joined with {@code \n} (JSON for every Nines event)
 */
public record ServerEvent(String id, String type, String data) {
  private static final ObjectMapper JSON = BackendClient.mapper();

  public ServerEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("type is required");
    }
    if (data == null) {
      throw new IllegalArgumentException("data is required");
    }
  }

  /** Whether the server stored it (it has an id and is replayed after a reconnect). */
  public boolean durable() {
    return id != null;
  }

  /** The data as JSON; an empty object node when it is not JSON. */
  public JsonNode json() {
    try {
      JsonNode n = JSON.readTree(data);
      return n == null ? JSON.createObjectNode() : n;
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  /** The data read as a record or class (unknown fields ignored). */
  public <T> T as(Class<T> type) {
    try {
      return JSON.readValue(data, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event " + this.type + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
