package dev.nines.server.api;

import dev.nines.server.report.UptimeCsv;
import dev.nines.server.report.UptimePdf;
import dev.nines.server.report.UptimeReport;
import dev.nines.server.report.UptimeReports;
import dev.nines.server.auth.Access;
import dev.nines.server.availability.Window;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET /api/v1/reports/uptime?from=&to=&pool=&host=&format=json|csv|html|pdf} (readers): the uptime
 * report of every pool, one pool, or one host over a period (default the last 30 days; at most
 * 400 days), as JSON, CSV, a self-contained HTML page or a PDF document (an attachment).
 */
public final class UptimeApi {
  static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

  private final UptimeReports reports;
  private final Access access;
  private final Clock clock;

  public UptimeApi(UptimeReports reports, Access access, Clock clock) {
    this.reports = reports;
    this.access = access;
    this.clock = clock;
  }

  /** {@code GET /api/v1/reports/uptime}. */
  public void get(Context ctx) {
    access.require(ctx, Access.READERS);
    String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
    if (!format.equals("json") && !format.equals("csv") && !format.equals("html") && !format.equals("pdf")) {
      throw new ApiException(400, "invalid parameter", "format must be json, csv, html or pdf (was " + format + ")");
    }
    String pool = blankToNull(ctx.queryParam("pool"));
    String host = blankToNull(ctx.queryParam("host"));
    if (pool != null && host != null) {
      throw new ApiException(400, "invalid parameter", "give pool or host, not both");
    }
    Window window = PoolsApi.window(ctx, clock.millis(), DEFAULT_PERIOD, "period");
    UptimeReport report;
    try {
      report = reports.build(window, pool, host);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not found", e.getMessage());
    }
    if (format.equals("pdf")) {
      ctx.contentType("application/pdf")
          .header("Content-Disposition", "attachment; filename=\"" + fileName(report, "pdf") + "\"")
          .result(UptimePdf.write(report, clock.instant()));
    } else if (format.equals("html")) {
      ctx.contentType("text/html; charset=utf-8").result(dev.nines.server.report.UptimeHtml.write(report));
    } else if (format.equals("csv")) {
      ctx.contentType("text/csv; charset=utf-8")
          .header("Content-Disposition", "attachment; filename=\"" + fileName(report, "csv") + "\"")
          .result(UptimeCsv.write(report));
    } else {
      ctx.json(report);
    }
  }

  /** {@code nines-uptime-<from>-<to>.<ext>}, the dates (UTC) as yyyyMMdd'T'HHmm. Pure. */
  static String fileName(UptimeReport r, String ext) {
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(java.time.ZoneOffset.UTC);
    return "nines-uptime-" + f.format(java.time.Instant.ofEpochMilli(r.fromMs())) + "-"
        + f.format(java.time.Instant.ofEpochMilli(r.toMs())) + "." + ext;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
