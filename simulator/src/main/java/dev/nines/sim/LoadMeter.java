package dev.nines.sim;

/**
 * Counts requests in flight and their time-weighted average, the load that drives the simulated
 * GPUs. Times come from the caller (the server's clock), so tests move them by hand.
 */
final class LoadMeter {
  private int inflight;
  private long lastChangeMs;
  private double requestMs;
  private double requestMsAtMark;
  private long markMs;

  LoadMeter(long startMs) {
    this.lastChangeMs = startMs;
    this.markMs = startMs;
  }

  synchronized void add(long nowMs, int delta) {
    advance(nowMs);
    inflight = Math.max(0, inflight + delta);
  }

  synchronized int inflight() {
    return inflight;
  }

  /**
   * The average number of requests in flight since the previous call (or the start), and a new
   * mark at {@code nowMs}. With no time elapsed, the number in flight now.
   */
  synchronized double takeAverage(long nowMs) {
    advance(nowMs);
    long span = nowMs - markMs;
    double avg = span <= 0 ? inflight : (requestMs - requestMsAtMark) / span;
    if (span > 0) {
      markMs = nowMs;
      requestMsAtMark = requestMs;
    }
    return avg;
  }

  private void advance(long nowMs) {
    if (nowMs > lastChangeMs) {
      requestMs += (double) inflight * (nowMs - lastChangeMs);
      lastChangeMs = nowMs;
    }
  }
}
