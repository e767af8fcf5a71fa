package dev.nines.server.api;

import dev.nines.server.report.UptimeCsv;
import dev.nines.server.report.UptimeReport;
import dev.nines.server.report.UptimeReports;
import dev.nines.server.auth.Access;
import dev.nines.server.availability.Window;
import dev.nines.server.config.Durations;
import dev.nines.server.pools.PoolService;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /api/v1/reports/uptime?from=&to=&pool=&host=&format=json|csv|html} (readers): the uptime
 * report of every pool, one pool, or one host over a period (default the last 30 days; at most
 * 400 days), as JSON, CSV or a self-contained HTML page. PDF is not built yet: 400 naming the
 * formats there are.
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
    if (!format.equals("json") && !format.equals("csv") && !format.equals("html")) {
      throw new ApiException(
          400, "invalid parameter", "format must be json, csv or html (was " + format + "; pdf is not built yet)");
    }
    String pool = blankToNull(ctx.queryParam("pool"));
    String host = blankToNull(ctx.queryParam("host"));
    if (pool != null && host != null) {
      throw new ApiException(400, "invalid parameter", "give pool or host, not both");
    }
    long now = clock.millis();
    long to = HostsApi.instant("to", ctx.queryParam("to"), now);
    long from = HostsApi.instant("from", ctx.queryParam("from"), Math.min(to, now) - DEFAULT_PERIOD.toMillis());
    if (from >= to) {
      throw new ApiException(400, "invalid parameter", "from (" + from + ") must be before to (" + to + ")");
    }
    if (to - from > PoolService.MAX_WINDOW.toMillis()) {
      throw new ApiException(
          400, "invalid parameter", "the period may be at most " + Durations.format(PoolService.MAX_WINDOW) + " long");
    }
    to = Math.min(to, now);
    if (from >= to) {
      throw new ApiException(400, "invalid parameter", "the period starts in the future (from " + from + ", now " + now + ")");
    }
    UptimeReport report;
    try {
      report = reports.build(new Window(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)), pool, host);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not found", e.getMessage());
    }
    if (format.equals("html")) {
      ctx.contentType("text/html; charset=utf-8").result(dev.nines.server.report.UptimeHtml.write(report));
    } else if (format.equals("csv")) {
      ctx.contentType("text/csv; charset=utf-8")
          .header("Content-Disposition", "attachment; filename=\"nines-uptime.csv\"")
          .result(UptimeCsv.write(report));
    } else {
      ctx.json(report);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
