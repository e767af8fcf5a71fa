package dev.nines.server.store;

/** The database failed (I/O, corruption, lock timeout). Never the caller's mistake. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
