package dev.nines.server.store;

/**
 * The outcome of storing one report.
 *
 * @param report the report
 * @param duplicate its (agentId, seq) was stored before; nothing was written
 * @param routing the host's desired routing state as of the commit
 */
public record WriteResult(ReportRecord report, boolean duplicate, RoutingRecord routing) {
  public WriteResult {
    if (report == null) {
      throw new IllegalArgumentException("report is required");
    }
    if (routing == null) {
      throw new IllegalArgumentException("routing is required");
    }
  }
}
