package dev.nines.console.client;

import java.time.Duration;

/**
 * Told how a download goes, on the downloading thread (hop to the UI thread yourself). Called at
 * most every 64 KiB and once at the end.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Nothing to tell. */
  ProgressListener NONE = (bytes, total, elapsed) -> {};

  /**
   * @param bytesReceived bytes written so far
   * @param totalBytes the announced size, or -1 when the server did not say (it streams)
   * @param elapsed since the request was sent
   */
  void progress(long bytesReceived, long totalBytes, Duration elapsed);
}
