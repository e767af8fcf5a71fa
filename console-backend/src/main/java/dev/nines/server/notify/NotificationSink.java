package dev.nines.server.notify;

import java.util.List;

/**
 * Where the alert engine puts the messages it decided to send: the durable outbox. {@link #enqueue}
 * returns once the messages are stored (in one transaction); from then on they are delivered at least
 * once, across restarts, or dead-lettered.
 */
public interface NotificationSink {
  /** Stores the messages for delivery; an eventId already stored is ignored (idempotent). */
  void enqueue(List<Notification> notifications);
}
