package dev.nines.server.store;

/** The write queue is full: the caller should retry later. Nothing was queued. */
public final class QueueFullException extends RuntimeException {
  private final int capacity;

  public QueueFullException(int capacity) {
    super("write queue full (" + capacity + " reports waiting)");
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }
}
