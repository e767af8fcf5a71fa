package dev.nines.console.reports;

import dev.nines.console.client.ReportFormat;
import dev.nines.console.client.Subject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What report to build: {@code [from, to)}, one pool or host ({@code subject} null: the whole fleet),
 * a format.
 */
public record ReportRequest(Instant from, Instant to, Subject subject, ReportFormat format) {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  public ReportRequest {
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to are required");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to (was " + from + " .. " + to + ")");
    }
    if (format == null) {
      throw new IllegalArgumentException("format is required");
    }
  }

  /** "uptime-pool-chat-2024-05-01-2024-05-31.pdf": what the file chooser proposes. */
  public String suggestedFileName() {
    String what = subject == null ? "fleet" : subject.kind().name().toLowerCase() + "-" + subject.id().replaceAll("[^A-Za-z0-9._-]", "_");
    return "uptime-" + what + "-" + DAY.format(from) + "-" + DAY.format(to.minusMillis(1)) + "." + format.wire();
  }
}
