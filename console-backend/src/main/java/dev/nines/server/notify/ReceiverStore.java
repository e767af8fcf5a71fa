package dev.nines.server.notify;

import dev.nines.server.store.ReceiverRecord;
import dev.nines.server.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receivers stored in the database, cached (read once at start, re-read after every write made
 * through it). A stored receiver that no longer parses is skipped and logged. Safe for concurrent use.
 */
public final class ReceiverStore implements Receivers {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverStore.class);

  /** A receiver with its stored times (epoch ms). */
  public record Stored(ReceiverSpec spec, long createdAtMs, long updatedAtMs) {}

  private final Store store;
  private final Clock clock;
  private volatile Map<String, Stored> byId;

  public ReceiverStore(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
    refresh();
  }

  /** Re-reads the receivers from the database. */
  public synchronized void refresh() {
    Map<String, Stored> next = new LinkedHashMap<>();
    for (ReceiverRecord r : store.receivers()) {
      try {
        next.put(r.id(), new Stored(ReceiverJson.fromStorage(r.specJson()), r.createdAtMs(), r.updatedAtMs()));
      } catch (IllegalArgumentException e) {
        LOG.error("receiver {}: the stored spec is not valid and is ignored: {}", r.id(), e.getMessage());
      }
    }
    byId = next;
  }

  @Override
  public List<ReceiverSpec> all() {
    List<ReceiverSpec> out = new ArrayList<>();
    byId.values().forEach(s -> out.add(s.spec()));
    return out;
  }

  /** Every receiver with its times, ordered by id. */
  public List<Stored> stored() {
    return List.copyOf(byId.values());
  }

  /** One receiver by id. */
  public Optional<Stored> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** One receiver's spec by id. */
  public Optional<ReceiverSpec> spec(String id) {
    return get(id).map(Stored::spec);
  }

  @Override
  public Map<String, Integer> deadLetters() {
    return store.outboxDeadByReceiver();
  }

  /** Stores a new receiver; false (nothing stored) when the id is taken. */
  public synchronized boolean create(ReceiverSpec spec) {
    long now = clock.millis();
    boolean stored = store.insertReceiver(new ReceiverRecord(spec.id(), ReceiverJson.toStorage(spec), now, now));
    refresh();
    return stored;
  }

  /** Replaces a receiver; false when there is none with this id. */
  public synchronized boolean replace(ReceiverSpec spec) {
    boolean done = store.updateReceiver(spec.id(), ReceiverJson.toStorage(spec), clock.millis());
    refresh();
    return done;
  }

  /** Drops a receiver (its queued messages are dead-lettered when due); false when there was none. */
  public synchronized boolean delete(String id) {
    boolean done = store.deleteReceiver(id);
    refresh();
    return done;
  }
}
