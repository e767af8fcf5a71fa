package dev.nines.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The figures of one drill, printed as one line and appended to {@code target/drill-figures.txt},
 * e.g. {@code DRILL gray-failure haproxy-alone: failed 0/3000, stop-routing n/a, p50 31/301 ms, p99
 * 40/310 ms}.
 *
 * @param drill the drill, e.g. {@code gray-failure}
 * @param variant who handles the fault, e.g. {@code haproxy-alone} or {@code nines}
 * @param failed failed requests
 * @param total all requests
 * @param stopRoutingSeconds seconds from the fault (or command) to the last new request that reached
 *     the faulty server, or empty when it was never taken out ({@code n/a})
 * @param p50Before median latency before the fault, ms
 * @param p50After median latency after it, ms
 * @param p99Before 99th percentile before, ms
 * @param p99After 99th percentile after, ms
 * @param extra further figures of this drill, free text (may be empty)
 */
record DrillReport(
    String drill,
    String variant,
    long failed,
    long total,
    OptionalDouble stopRoutingSeconds,
    OptionalDouble p50Before,
    OptionalDouble p50After,
    OptionalDouble p99Before,
    OptionalDouble p99After,
    String extra) {

  /** Where every drill's line is appended (relative to the module, as surefire runs it). */
  static final Path FIGURES = Path.of("target", "drill-figures.txt");

  DrillReport {
    if (drill == null || drill.isBlank()) {
      throw new IllegalArgumentException("drill must not be blank");
    }
    if (variant == null || variant.isBlank()) {
      throw new IllegalArgumentException("variant must not be blank");
    }
    if (failed < 0 || total < 0 || failed > total) {
      throw new IllegalArgumentException("failed must be 0..total (was " + failed + "/" + total + ")");
    }
    extra = extra == null ? "" : extra;
  }

  /** The one line. Pure. */
  String line() {
    StringBuilder b = new StringBuilder();
    b.append("DRILL ").append(drill).append(' ').append(variant).append(": failed ")
        .append(failed).append('/').append(total)
        .append(", stop-routing ")
        .append(stopRoutingSeconds.isPresent() ? String.format(Locale.ROOT, "%.2f s", stopRoutingSeconds.getAsDouble()) : "n/a")
        .append(", p50 ").append(ms(p50Before)).append('/').append(ms(p50After)).append(" ms")
        .append(", p99 ").append(ms(p99Before)).append('/').append(ms(p99After)).append(" ms");
    if (!extra.isBlank()) {
      b.append(", ").append(extra);
    }
    return b.toString();
  }

  /** Prints the line and appends it to {@link #FIGURES}. */
  void print() {
    String line = line();
    System.out.println(line);
    try {
      Files.createDirectories(FIGURES.getParent());
      Files.writeString(FIGURES, line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + FIGURES, e);
    }
  }

  private static String ms(OptionalDouble v) {
    return v.isPresent() ? String.valueOf(Math.round(v.getAsDouble())) : "-";
  }
}
