package dev.nines.server.report;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An {@link UptimeReport} as one self-contained HTML page (inline CSS, no scripts, no external
 * resources): title and period, a summary table of pools, a table of hosts, the incidents, and how
 * the figures were counted. Every text from the data is escaped. Pure.
 */
public final class UptimeHtml {
  private UptimeHtml() {}

  /** The report as an HTML document. */
  public static String write(UptimeReport r) {
    StringBuilder b = new StringBuilder(16_384);
    String from = Instant.ofEpochMilli(r.fromMs()).toString();
    String to = Instant.ofEpochMilli(r.toMs()).toString();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Nines uptime report ").append(esc(from)).append(" to ").append(esc(to)).append("</title>")
        .append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("th:first-child,td:first-child,td.t{text-align:left}th{background:#f0f0f0}")
        .append(".miss{color:#b00020;font-weight:bold}.met{color:#006400}p.note{max-width:60em;color:#555}</style>")
        .append("</head><body>\n");
    b.append("<h1>Uptime report</h1>\n<p>Period: <b>").append(esc(from)).append("</b> to <b>").append(esc(to))
        .append("</b></p>\n");
    b.append("<h2>Pools</h2>\n");
    table(b, r.pools());
    b.append("<h2>Hosts</h2>\n");
    table(b, r.hosts());
    b.append("<h2>Incidents</h2>\n");
    if (r.incidents().isEmpty()) {
      b.append("<p>None in this period.</p>\n");
    } else {
      b.append("<table><tr><th>Incident</th><th>Kind</th><th>Subject</th><th>Pool</th><th>Severity</th>")
          .append("<th>Start</th><th>End</th><th>Minutes</th><th>Cause</th><th>Actions taken</th></tr>\n");
      for (UptimeReport.IncidentRow i : r.incidents()) {
        b.append("<tr><td>").append(i.id()).append("</td><td class=\"t\">").append(esc(i.kind()))
            .append("</td><td class=\"t\">").append(esc(i.subject())).append("</td><td class=\"t\">")
            .append(esc(i.pool())).append("</td><td class=\"t\">").append(esc(i.severity())).append("</td><td>")
            .append(esc(Instant.ofEpochMilli(i.startMs()).toString())).append("</td><td>")
            .append(i.endMs() == null ? "open" : esc(Instant.ofEpochMilli(i.endMs()).toString())).append("</td><td>")
            .append(num(i.durationMinutes(), 1)).append("</td><td class=\"t\">").append(esc(UptimeText.cause(i.cause())))
            .append("</td><td class=\"t\">");
        for (UptimeReport.Action a : i.actions()) {
          b.append("<div>").append(esc(UptimeText.action(a))).append("</div>");
        }
        b.append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("<h2>How this was counted</h2>\n<p class=\"note\">").append(esc(r.accounting())).append("</p>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void table(StringBuilder b, List<UptimeReport.Row> rows) {
    if (rows.isEmpty()) {
      b.append("<p>None.</p>\n");
      return;
    }
    b.append("<table><tr><th>Name</th><th>Pool</th><th>Availability</th><th>Requests good</th><th>SLO</th>")
        .append("<th>Met</th><th>Budget used</th><th>Down min</th><th>Maint. min</th><th>Incidents</th>")
        .append("<th>MTTR min</th><th>MTBF min</th><th>Longest min</th></tr>\n");
    for (UptimeReport.Row row : rows) {
      b.append("<tr><td>").append(esc(row.id())).append("</td><td class=\"t\">").append(esc(row.pool()))
          .append("</td><td>").append(pct(row.availability())).append("</td><td>").append(pct(row.requestAvailability()))
          .append("</td><td>").append(pct(row.sloTarget())).append("</td><td>")
          .append(row.sloMet() == null ? "-" : row.sloMet() ? "<span class=\"met\">yes</span>" : "<span class=\"miss\">no</span>")
          .append("</td><td>").append(row.errorBudgetUsed() == null ? "-" : pct(row.errorBudgetUsed()))
          .append("</td><td>").append(num(row.downtimeMinutes(), 1)).append("</td><td>")
          .append(num(row.maintenanceMinutes(), 1)).append("</td><td>").append(row.incidents()).append("</td><td>")
          .append(row.mttrMinutes() == null ? "-" : num(row.mttrMinutes(), 1)).append("</td><td>")
          .append(row.mtbfMinutes() == null ? "-" : num(row.mtbfMinutes(), 1)).append("</td><td>")
          .append(num(row.longestOutageMinutes(), 1)).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static String pct(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.3f %%", ratio * 100);
  }

  private static String num(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** HTML-escapes text (null as empty). */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
