package dev.nines.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock that tests move by hand (shared by the tests of every package). */
public final class MovableClock extends Clock {
  private final AtomicLong millis;

  public MovableClock(long startMs) {
    this.millis = new AtomicLong(startMs);
  }

  /** Starting at {@code start}. */
  public MovableClock(Instant start) {
    this(start.toEpochMilli());
  }

  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  public void setMillis(long ms) {
    millis.set(ms);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a movable clock is UTC only");
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }
}
