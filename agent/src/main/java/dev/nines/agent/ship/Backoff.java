package dev.nines.agent.ship;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with <b>equal jitter</b>: for attempt {@code a} (0 for the first retry) let
 * {@code d = min(cap, base * 2^a)}; the delay is {@code d/2 + uniform[0, d/2]}. Equal jitter (not
 * full jitter) keeps a floor of half the exponential delay, so delays grow reliably and a fleet of
 * agents never hammers a recovering backend with near-zero retries, while the random half still
 * spreads the fleet out.
 *
 * <p>Pure: the only state is the injected {@link Random}. Not thread-safe unless the Random is.
 */
public final class Backoff {
  /** 1 s. */
  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);

  /** 60 s. */
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(60);

  private final long baseMs;
  private final long capMs;
  private final Random random;

  public Backoff(Duration base, Duration cap, Random random) {
    if (base == null || base.toMillis() < 1) {
      throw new IllegalArgumentException("base must be at least 1 ms (was " + base + ")");
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap must be >= base (was " + cap + ")");
    }
    if (random == null) {
      throw new IllegalArgumentException("random is required");
    }
    this.baseMs = base.toMillis();
    this.capMs = cap.toMillis();
    this.random = random;
  }

  /** Base 1 s, cap 60 s. */
  public static Backoff withDefaults(Random random) {
    return new Backoff(DEFAULT_BASE, DEFAULT_CAP, random);
  }

  /** The exponential delay before jitter for an attempt, capped. */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0 (was " + attempt + ")");
    }
    // base * 2^attempt > cap  <=>  base > floor(cap / 2^attempt); checked this way to never overflow.
    if (attempt >= 62 || baseMs > (capMs >> attempt)) {
      return Duration.ofMillis(capMs);
    }
    return Duration.ofMillis(baseMs << attempt);
  }

  /** The delay before retry number {@code attempt} (0-based): in [ceiling/2, ceiling]. */
  public Duration nextDelay(int attempt) {
    long d = ceiling(attempt).toMillis();
    long half = d / 2;
    long jitter = (long) (random.nextDouble() * (d - half + 1));
    return Duration.ofMillis(half + Math.min(jitter, d - half));
  }
}
