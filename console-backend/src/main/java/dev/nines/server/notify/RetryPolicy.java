package dev.nines.server.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Random;

/**
 * What to do after one delivery attempt, and when to try again. Pure (the randomness is passed in).
 *
 * <p>2xx: delivered. 5xx, 408, 429 and no answer (refused, reset, timed out): try again after an
 * exponential backoff with full jitter (a random time up to 1 s, 2 s, 4 s, ... capped at 5 min), or
 * after the receiver's {@code Retry-After} when that is later. Any other status (other 4xx, 3xx, 1xx):
 * dead at once, as sending the same request again cannot help.
 */
final class RetryPolicy {
  static final Duration BASE = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofMinutes(5);

  /** The verdict on one attempt. */
  enum Verdict {
    DELIVERED,
    RETRY,
    PERMANENT
  }

  private RetryPolicy() {}

  /** The verdict on an HTTP status; {@code null} means no answer came (always worth a retry). */
  static Verdict verdict(Integer status) {
    if (status == null) {
      return Verdict.RETRY;
    }
    if (status >= 200 && status <= 299) {
      return Verdict.DELIVERED;
    }
    if (status >= 500 || status == 408 || status == 429) {
      return Verdict.RETRY;
    }
    return Verdict.PERMANENT;
  }

  /**
   * The wait before the next attempt after {@code attempts} failed ones (1 after the first): a
   * uniformly random time in [0, min(CAP, BASE * 2^(attempts-1))], and at least {@code retryAfter}.
   */
  static Duration backoff(int attempts, Random random, Optional<Duration> retryAfter) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1 (was " + attempts + ")");
    }
    long ceiling = CAP.toMillis();
    if (attempts <= 20) {
      ceiling = Math.min(ceiling, BASE.toMillis() << (attempts - 1));
    }
    Duration jittered = Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
    if (retryAfter.isPresent() && retryAfter.get().compareTo(jittered) > 0) {
      return retryAfter.get();
    }
    return jittered;
  }

  /**
   * A {@code Retry-After} header: delay seconds or an HTTP date; empty when absent or unreadable; a
   * date in the past is zero.
   */
  static Optional<Duration> retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.strip();
    if (h.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
    }
    try {
      Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
