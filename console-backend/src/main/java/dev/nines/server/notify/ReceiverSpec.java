package dev.nines.server.notify;

import java.time.Duration;
import java.util.List;

/**
 * A receiver of alert notifications and how alerts are routed and grouped for it.
 *
 * @param id stable id (lower-case letters, digits, '-' and '_'; 1..64)
 * @param kind the payload it takes
 * @param url where notifications are POSTed (http or https)
 * @param secret HMAC-SHA256 key for {@code X-Nines-Signature}, or null to send unsigned
 * @param routingKey the PagerDuty integration (routing) key: required for {@link Kind#PAGERDUTY},
 *     null for the other kinds
 * @param matchers the alerts it receives (all must match; none: every alert)
 * @param groupBy labels whose values form a group (empty: one group for all its alerts)
 * @param groupWait how long a new group waits for more alerts before its first message
 * @param groupInterval how long a group waits before a message about changes in it
 * @param repeatInterval how long before an unchanged, still firing group is sent again
 * @param timeout per-request timeout
 * @param concurrency requests in flight to it at most
 * @param maxAge after this long undelivered a message is dead-lettered
 * @param enabled false: nothing is routed to it (messages already queued are still delivered)
 */
public record ReceiverSpec(
    String id,
    Kind kind,
    String url,
    String secret,
    String routingKey,
    List<Matcher> matchers,
    List<String> groupBy,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    Duration timeout,
    int concurrency,
    Duration maxAge,
    boolean enabled) {
  /** Defaults: faster than Alertmanager's 30 s / 5 m / 4 h, so that a hard fault arrives within 10 s. */
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  public static final List<String> DEFAULT_GROUP_BY = List.of("alertname", "pool");

  /** The payload kinds. */
  public enum Kind {
    /** Nines' own JSON. */
    WEBHOOK,
    /** Alertmanager's webhook payload, version 4. */
    ALERTMANAGER,
    /** A Slack incoming webhook. */
    SLACK,
    /** PagerDuty Events API v2 (trigger / resolve with a dedup key). */
    PAGERDUTY,
    /** A Microsoft Teams incoming webhook. */
    TEAMS;

    /** Lower-case name as in the API. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the lower-case name. */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.wire().equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "kind must be one of webhook, alertmanager, slack, pagerduty, teams (was " + s + ")");
    }
  }

  public ReceiverSpec {
    if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("id must be 1-64 of a-z, 0-9, '-', '_' (was " + id + ")");
    }
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("url must be an http or https URL (was " + url + ")");
    }
    try {
      java.net.URI u = new java.net.URI(url);
      if (u.getHost() == null) {
        throw new IllegalArgumentException("url has no host (was " + url + ")");
      }
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("url is not a URL: " + e.getMessage());
    }
    if (secret != null && secret.isEmpty()) {
      throw new IllegalArgumentException("secret must not be empty (leave it out to send unsigned)");
    }
    if (kind == Kind.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
      throw new IllegalArgumentException("routingKey is required for a pagerduty receiver");
    }
    if (kind != Kind.PAGERDUTY && routingKey != null) {
      throw new IllegalArgumentException("routingKey is only for a pagerduty receiver");
    }
    matchers = List.copyOf(matchers == null ? List.of() : matchers);
    groupBy = List.copyOf(groupBy == null ? DEFAULT_GROUP_BY : groupBy);
    for (String g : groupBy) {
      if (g == null || !g.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("groupBy must hold label names (was " + g + ")");
      }
    }
    groupWait = positiveOrZero(groupWait, DEFAULT_GROUP_WAIT, "groupWait");
    groupInterval = positive(groupInterval, DEFAULT_GROUP_INTERVAL, "groupInterval");
    repeatInterval = positive(repeatInterval, DEFAULT_REPEAT_INTERVAL, "repeatInterval");
    timeout = positive(timeout, DEFAULT_TIMEOUT, "timeout");
    if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("timeout must be at most 60s (was " + timeout + ")");
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException("concurrency must be in 1..64 (was " + concurrency + ")");
    }
    maxAge = positive(maxAge, DEFAULT_MAX_AGE, "maxAge");
  }

  private static Duration positive(Duration d, Duration dflt, String name) {
    if (d == null) {
      return dflt;
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive (was " + d + ")");
    }
    return d;
  }

  private static Duration positiveOrZero(Duration d, Duration dflt, String name) {
    if (d == null) {
      return dflt;
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative (was " + d + ")");
    }
    return d;
  }
}
