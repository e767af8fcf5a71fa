package dev.nines.console.client;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with jitter: attempt n (1, 2, ...) waits between half and all of
 * {@code min(initial * 2^(n-1), max)}, so that consoles do not all come back at the same moment.
 *
 * @param initial the first delay's ceiling
 * @param max the cap
 */
public record Backoff(Duration initial, Duration max) {
  /** 0.5 s doubling to 30 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  public Backoff {
    if (initial == null || initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive (was " + initial + ")");
    }
    if (max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must be at least initial (was " + max + ")");
    }
  }

  /** The ceiling of attempt {@code attempt} (>= 1), before jitter. */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1 (was " + attempt + ")");
    }
    long ms = initial.toMillis();
    for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }

  /** The delay before attempt {@code attempt}: uniformly in [ceiling / 2, ceiling). */
  public Duration delay(int attempt, Random random) {
    long c = ceiling(attempt).toMillis();
    long half = c / 2;
    return Duration.ofMillis(half + (long) (random.nextDouble() * (c - half)));
  }
}
