package dev.nines.console.client;

import java.util.List;

/**
 * {@code GET /api/v1/hosts/{id}/routing}: the stored routing intervals overlapping {@code [from,
 * to)}: every drain, undrain, maintenance and quarantine, with who and why.
 *
 * @param hostId the host
 * @param from window start, epoch ms
 * @param to window end, epoch ms
 * @param intervals oldest first, not clipped to the window
 */
public record RoutingHistory(String hostId, long from, long to, List<Interval> intervals) {
  public RoutingHistory {
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }

  /**
   * One stretch of one routing state, {@code [from, to)}.
   *
   * @param to null while current
   * @param reason why, or null
   * @param changedBy who or what set it ({@code system} for a host's first ACTIVE)
   */
  public record Interval(String state, long from, Long to, String reason, String changedBy) {}
}
