package dev.nines.console.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A report download under way. The body goes to a temporary file next to the target, which is
 * moved into place only once complete; a cancelled or failed download leaves no file behind.
 */
public interface Download {
  /**
   * Completes with the result, or exceptionally with a {@link BackendException} (or a
   * {@link java.util.concurrent.CancellationException} after {@link #cancel()}).
   */
  CompletableFuture<Result> result();

  /** Stops the download and deletes the partial file; nothing happens when it is already done. */
  void cancel();

  /**
   * A finished download.
   *
   * @param file where the report is
   * @param bytes its size
   * @param elapsed from request to the moved file
   */
  record Result(Path file, long bytes, Duration elapsed) {}
}
