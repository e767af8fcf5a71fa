package dev.nines.server.notify;

import dev.nines.server.store.OutboxRow;
import dev.nines.server.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The durable outbox: {@link #enqueue} stores the messages in one transaction (an eventId already
 * stored is skipped) and then tells its listeners (the {@link DeliveryWorker} wakes up), so a
 * message is never lost once enqueue returns.
 */
public final class Outbox implements NotificationSink {
  private final Store store;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public Outbox(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Called after each enqueue that stored something (e.g. {@link DeliveryWorker#wake}). */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void enqueue(List<Notification> notifications) {
    if (notifications.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<OutboxRow> rows = new ArrayList<>(notifications.size());
    for (Notification n : notifications) {
      rows.add(OutboxRow.pending(n.eventId(), n.receiverId(), n.groupKey(), NotificationJson.write(n), now));
    }
    if (store.enqueueOutbox(rows) > 0) {
      listeners.forEach(Runnable::run);
    }
  }
}
