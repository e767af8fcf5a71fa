package dev.nines.console.client;

import java.util.List;
import java.util.Map;

/**
 * An alert of the alert engine; times epoch ms, null where not reached.
 *
 * @param fingerprint its identity (acknowledge with it)
 * @param state {@code pending}, {@code firing} or {@code resolved}
 * @param ack the acknowledgement, or null
 * @param suppressedBy ids of the silences or maintenance windows that keep it quiet
 */
public record Alert(
    String fingerprint, Map<String, String> labels, Map<String, String> annotations, String state,
    long activeSince, Long startsAt, Long endsAt, Ack ack, List<String> suppressedBy) {
  public Alert {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    suppressedBy = suppressedBy == null ? List.of() : List.copyOf(suppressedBy);
  }

  /** Who acknowledged it, why and when (epoch ms). */
  public record Ack(String by, String comment, long at) {}

  /**
   * Which alerts to list; every field optional (null).
   *
   * @param state {@code pending}, {@code firing} or {@code resolved}
   * @param limit page size 1..1000, or null for the server's default
   */
  public record Filter(String state, String pool, String host, String alertname, String severity, Integer limit) {
    /** Every alert, default page size. */
    public static final Filter ALL = new Filter(null, null, null, null, null, null);
  }
}
