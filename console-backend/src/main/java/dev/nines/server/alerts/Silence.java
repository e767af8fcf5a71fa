package dev.nines.server.alerts;

import dev.nines.server.notify.Matcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A silence: while active, alerts whose labels satisfy every matcher are not sent (they still show,
 * suppressed by its id).
 *
 * @param id its id
 * @param matchers at least one
 * @param author who made it
 * @param comment why
 * @param startsAt from when
 * @param endsAt until when (exclusive)
 * @param createdAt when it was made
 */
public record Silence(
    String id, List<Matcher> matchers, String author, String comment, Instant startsAt, Instant endsAt,
    Instant createdAt) {
  public Silence {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (matchers == null || matchers.isEmpty()) {
      throw new IllegalArgumentException("matchers must hold at least one matcher");
    }
    if (author == null || comment == null) {
      throw new IllegalArgumentException("author and comment are required");
    }
    if (startsAt == null || endsAt == null || !endsAt.isAfter(startsAt) && !endsAt.equals(startsAt)) {
      throw new IllegalArgumentException("endsAt must not be before startsAt");
    }
    matchers = List.copyOf(matchers);
  }

  /** Whether it silences at {@code now}. */
  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** {@code pending} (starts later), {@code active} or {@code expired}. */
  public String stateAt(Instant now) {
    return now.isBefore(startsAt) ? "pending" : now.isBefore(endsAt) ? "active" : "expired";
  }

  /** Whether it is active at {@code now} and every matcher matches {@code labels}. */
  public boolean silences(Map<String, String> labels, Instant now) {
    return activeAt(now) && Matcher.all(matchers, labels);
  }
}
