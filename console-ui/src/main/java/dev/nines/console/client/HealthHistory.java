package dev.nines.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code GET /api/v1/hosts/{id}/health}: the stored health intervals overlapping {@code [from, to)}.
 *
 * @param hostId the host
 * @param from window start, epoch ms
 * @param to window end, epoch ms
 * @param intervals oldest first, not clipped to the window
 */
public record HealthHistory(String hostId, long from, long to, List<Interval> intervals) {
  public HealthHistory {
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }

  /**
   * One stretch of one health state, {@code [from, to)}.
   *
   * @param to null while current
   * @param figures the rules' figures as the server stored them (JSON), or null
   */
  public record Interval(String state, long from, Long to, List<String> rules, String reason, JsonNode figures) {
    public Interval {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }
}
