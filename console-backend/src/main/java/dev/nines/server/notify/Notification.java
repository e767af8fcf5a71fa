package dev.nines.server.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One message for one receiver: a group of alerts (those sharing the receiver's group-by labels),
 * as the alert engine decided to send it. The delivery side stores it durably, signs it, renders it
 * for the receiver's kind and retries it until delivered or dead-lettered.
 *
 * @param eventId stable, unique id of this message (idempotency key on the receiver's side; the
 *     same on every retry)
 * @param receiverId the receiver it is for ({@link ReceiverSpec#id()})
 * @param groupKey the group: receiver id and the group-by labels' values; messages of one group are
 *     delivered in the order they were enqueued
 * @param groupLabels the group-by labels and their values
 * @param status {@code firing} when any alert in it fires, else {@code resolved}
 * @param alerts the group's alerts, at least one
 * @param createdAt when the engine made it
 */
public record Notification(
    String eventId,
    String receiverId,
    String groupKey,
    Map<String, String> groupLabels,
    String status,
    List<AlertInstance> alerts,
    Instant createdAt) {
  public Notification {
    if (eventId == null || eventId.isBlank()) {
      throw new IllegalArgumentException("eventId is required");
    }
    if (receiverId == null || receiverId.isBlank()) {
      throw new IllegalArgumentException("receiverId is required");
    }
    if (groupKey == null || groupKey.isBlank()) {
      throw new IllegalArgumentException("groupKey is required");
    }
    if (groupLabels == null) {
      throw new IllegalArgumentException("groupLabels is required (may be empty)");
    }
    if (!AlertInstance.FIRING.equals(status) && !AlertInstance.RESOLVED.equals(status)) {
      throw new IllegalArgumentException("status must be firing or resolved (was " + status + ")");
    }
    if (alerts == null || alerts.isEmpty()) {
      throw new IllegalArgumentException("alerts must hold at least one alert");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("createdAt is required");
    }
    groupLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(groupLabels));
    alerts = List.copyOf(alerts);
  }
}
