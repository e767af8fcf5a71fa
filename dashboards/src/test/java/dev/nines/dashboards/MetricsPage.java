package dev.nines.dashboards;

import java.util.LinkedHashSet;
import java.util.Set;

/** The names on a Prometheus text page (format 0.0.4): its sample names and its families' names. */
record MetricsPage(Set<String> samples, Set<String> families) {
  MetricsPage {
    samples = Set.copyOf(samples);
    families = Set.copyOf(families);
  }

  /** Suffixes a family's samples may carry (counters, summaries, histograms, Micrometer's _max gauge is its own family). */
  private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_sum", "_count"};

  static MetricsPage parse(String page) {
    Set<String> samples = new LinkedHashSet<>();
    Set<String> families = new LinkedHashSet<>();
    for (String line : page.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("#")) {
        String[] parts = l.split("\\s+");
        if (parts.length >= 3 && (parts[1].equals("TYPE") || parts[1].equals("HELP"))) {
          families.add(parts[2]);
        }
        continue;
      }
      int end = 0;
      while (end < l.length() && l.charAt(end) != '{' && !Character.isWhitespace(l.charAt(end))) {
        end++;
      }
      samples.add(l.substring(0, end));
    }
    return new MetricsPage(samples, families);
  }

  /**
   * Whether {@code name} has a sample on the page: a sample of that name ({@code x_total},
   * {@code x_count}, {@code x_bucket} of a family {@code x} are sample names on a 0.0.4 page), or a
   * family whose samples carry a suffix ({@code x} when the page has {@code x_total} or {@code x_count}).
   */
  boolean has(String name) {
    if (samples.contains(name)) {
      return true;
    }
    for (String suffix : SUFFIXES) {
      if (samples.contains(name + suffix)) {
        return true;
      }
    }
    return false;
  }
}
