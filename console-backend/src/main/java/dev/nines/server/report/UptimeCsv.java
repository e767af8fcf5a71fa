package dev.nines.server.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * An {@link UptimeReport} as CSV (RFC 4180, commons-csv): a section of one row per pool and per
 * host, an empty line, then a section of one row per incident (its actions in one cell, one per line:
 * "yyyy-MM-dd HH:mm:ss actor: text"). Times are ISO-8601 UTC; empty cells are figures that were not
 * available. The accounting is the last line, as a comment. Pure.
 */
public final class UptimeCsv {
  static final List<String> ROW_HEADER =
      List.of(
          "kind", "id", "pool", "from", "to", "availability", "request_availability", "slo_target", "slo_met",
          "error_budget_used", "downtime_minutes", "maintenance_minutes", "incidents", "mttr_minutes",
          "mtbf_minutes", "longest_outage_minutes");
  static final List<String> INCIDENT_HEADER =
      List.of(
          "incident", "kind", "subject", "pool", "severity", "start", "end", "duration_minutes", "cause", "actions");

  private UptimeCsv() {}

  /** The report as CSV text. */
  public static String write(UptimeReport r) {
    StringBuilder out = new StringBuilder();
    CSVFormat format = CSVFormat.RFC4180.builder().setCommentMarker('#').get();
    try (CSVPrinter p = new CSVPrinter(out, format)) {
      p.printRecord(ROW_HEADER);
      String from = Instant.ofEpochMilli(r.fromMs()).toString();
      String to = Instant.ofEpochMilli(r.toMs()).toString();
      for (UptimeReport.Row row : r.pools()) {
        print(p, row, from, to);
      }
      for (UptimeReport.Row row : r.hosts()) {
        print(p, row, from, to);
      }
      p.println();
      p.printRecord(INCIDENT_HEADER);
      for (UptimeReport.IncidentRow i : r.incidents()) {
        p.printRecord(
            i.id(), i.kind(), i.subject(), cell(i.pool()), cell(i.severity()), Instant.ofEpochMilli(i.startMs()),
            i.endMs() == null ? "" : Instant.ofEpochMilli(i.endMs()), i.durationMinutes(), cell(i.cause()),
            UptimeText.actions(i.actions()));
      }
      p.printComment(r.accounting());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void print(CSVPrinter p, UptimeReport.Row row, String from, String to) throws IOException {
    p.printRecord(
        row.kind(), row.id(), cell(row.pool()), from, to, cell(row.availability()), cell(row.requestAvailability()),
        row.sloTarget(), cell(row.sloMet()), cell(row.errorBudgetUsed()), row.downtimeMinutes(),
        row.maintenanceMinutes(), row.incidents(), cell(row.mttrMinutes()), cell(row.mtbfMinutes()),
        row.longestOutageMinutes());
  }

  private static Object cell(Object v) {
    return v == null ? "" : v;
  }
}
