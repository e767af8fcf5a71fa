package dev.nines.agent.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parser for the Prometheus text exposition format (version 0.0.4), written for pages that model
 * servers serve: it never throws on bad input. A line that does not parse is skipped and counted,
 * so that one broken exporter line costs one sample, not the whole scrape.
 *
 * <p>Accepted: {@code # HELP} and {@code # TYPE} lines, other comments, blank lines, CRLF line ends,
 * metric names with colons ({@code vllm:...}), label values with the escapes {@code \"}, {@code
 * \\} and {@code \n}, a trailing comma inside the braces, values in any form Go's {@code ParseFloat}
 * reads in decimal (scientific notation, {@code +Inf}, {@code -Inf}, {@code NaN}), an optional
 * integer timestamp in milliseconds, and an OpenMetrics exemplar ({@code # {...} v}) after the
 * value, which is ignored.
 */
public final class PromText {
  private static final Set<String> TYPES =
      Set.of(
          "counter", "gauge", "histogram", "summary", "untyped",
          // OpenMetrics names, seen when a server ignores the Accept header.
          "unknown", "info", "stateset", "gaugehistogram");

  private PromText() {}

  /**
   * Parses a page. Pure; never throws.
   *
   * @param page the text of the page; null reads as an empty page
   * @return the samples in page order, the declared types and the number of lines skipped
   */
  public static Page parse(String page) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    int malformed = 0;
    if (page != null) {
      int length = page.length();
      int start = 0;
      while (start < length) {
        int end = page.indexOf('\n', start);
        if (end < 0) {
          end = length;
        }
        int lineEnd = end;
        if (lineEnd > start && page.charAt(lineEnd - 1) == '\r') {
          lineEnd--;
        }
        if (!parseLine(page, start, lineEnd, samples, types)) {
          malformed++;
        }
        start = end + 1;
      }
    }
    return new Page(samples, types, malformed);
  }

  /** Parses one line into the collections; false when the line is malformed. */
  private static boolean parseLine(
      String s, int from, int to, List<Sample> samples, Map<String, String> types) {
    int i = skipBlanks(s, from, to);
    if (i == to) {
      return true; // blank line
    }
    if (s.charAt(i) == '#') {
      return parseComment(s, i + 1, to, types);
    }
    Sample sample = parseSample(s, i, to);
    if (sample == null) {
      return false;
    }
    samples.add(sample);
    return true;
  }

  private static boolean parseComment(String s, int from, int to, Map<String, String> types) {
    int i = skipBlanks(s, from, to);
    int keywordEnd = tokenEnd(s, i, to);
    String keyword = s.substring(i, keywordEnd);
    boolean help = keyword.equals("HELP");
    boolean type = keyword.equals("TYPE");
    if (!help && !type) {
      return true; // a plain comment (or OpenMetrics "# EOF")
    }
    if (keywordEnd == i || keywordEnd == to || !isBlank(s.charAt(keywordEnd))) {
      return false;
    }
    i = skipBlanks(s, keywordEnd, to);
    int nameEnd = metricNameEnd(s, i, to);
    if (nameEnd == i || (nameEnd < to && !isBlank(s.charAt(nameEnd)))) {
      return false;
    }
    if (help) {
      return true; // the docstring itself is not kept
    }
    String name = s.substring(i, nameEnd);
    int typeStart = skipBlanks(s, nameEnd, to);
    int typeEnd = tokenEnd(s, typeStart, to);
    String typeName = s.substring(typeStart, typeEnd);
    if (!TYPES.contains(typeName) || skipBlanks(s, typeEnd, to) != to) {
      return false;
    }
    types.put(name, typeName);
    return true;
  }

  /** One sample line, or null when it is malformed. */
  private static Sample parseSample(String s, int from, int to) {
    int nameEnd = metricNameEnd(s, from, to);
    if (nameEnd == from) {
      return null;
    }
    String name = s.substring(from, nameEnd);
    int i = skipBlanks(s, nameEnd, to);
    Map<String, String> labels = Map.of();
    if (i < to && s.charAt(i) == '{') {
      Map<String, String> read = new LinkedHashMap<>();
      i = parseLabels(s, i + 1, to, read);
      if (i < 0) {
        return null;
      }
      labels = Collections.unmodifiableMap(read);
      i = skipBlanks(s, i, to);
    } else if (i == nameEnd) {
      return null; // the name runs into something that is neither a blank nor a brace
    }
    int valueEnd = tokenEnd(s, i, to);
    if (valueEnd == i) {
      return null; // no value
    }
    Double value = parseValue(s.substring(i, valueEnd));
    if (value == null) {
      return null;
    }
    i = skipBlanks(s, valueEnd, to);
    OptionalLong timestamp = OptionalLong.empty();
    if (i < to && s.charAt(i) != '#') {
      int tsEnd = tokenEnd(s, i, to);
      Long ts = parseTimestamp(s.substring(i, tsEnd));
      if (ts == null) {
        return null;
      }
      timestamp = OptionalLong.of(ts);
      i = skipBlanks(s, tsEnd, to);
    }
    if (i < to && s.charAt(i) != '#') {
      return null; // trailing junk
    }
    return new Sample(name, labels, value, timestamp);
  }

  /**
   * Reads {@code name="value", ...}} after the opening brace. Returns the index after the closing
   * brace, or -1 when malformed.
   */
  private static int parseLabels(String s, int from, int to, Map<String, String> into) {
    int i = from;
    StringBuilder value = new StringBuilder();
    while (true) {
      i = skipBlanks(s, i, to);
      if (i >= to) {
        return -1; // unbalanced brace
      }
      if (s.charAt(i) == '}') {
        return i + 1;
      }
      int nameEnd = labelNameEnd(s, i, to);
      if (nameEnd == i) {
        return -1;
      }
      String labelName = s.substring(i, nameEnd);
      i = skipBlanks(s, nameEnd, to);
      if (i >= to || s.charAt(i) != '=') {
        return -1;
      }
      i = skipBlanks(s, i + 1, to);
      if (i >= to || s.charAt(i) != '"') {
        return -1;
      }
      i++;
      value.setLength(0);
      boolean closed = false;
      while (i < to) {
        char c = s.charAt(i++);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i >= to) {
            return -1;
          }
          char e = s.charAt(i++);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> {
              return -1; // the format knows no other escape
            }
          }
        } else {
          value.append(c);
        }
      }
      if (!closed || into.putIfAbsent(labelName, value.toString()) != null) {
        return -1; // unterminated value, or a label given twice
      }
      i = skipBlanks(s, i, to);
      if (i >= to) {
        return -1;
      }
      char sep = s.charAt(i);
      if (sep == ',') {
        i++;
      } else if (sep != '}') {
        return -1;
      }
    }
  }

  /** A value as Go's ParseFloat reads it in decimal, or null. */
  static Double parseValue(String token) {
    switch (token.toLowerCase(java.util.Locale.ROOT)) {
      case "+inf", "inf", "+infinity", "infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan", "+nan", "-nan":
        return Double.NaN;
      default:
        break;
    }
    boolean digit = false;
    for (int k = 0; k < token.length(); k++) {
      char c = token.charAt(k);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
        return null; // keeps out Java-only forms such as "1d", "0x1p3" or "Infinity" spellings
      }
    }
    if (!digit) {
      return null;
    }
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long parseTimestamp(String token) {
    int k = token.startsWith("-") ? 1 : 0;
    if (k == token.length()) {
      return null;
    }
    for (; k < token.length(); k++) {
      char c = token.charAt(k);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      return null; // out of range
    }
  }

  private static int metricNameEnd(String s, int from, int to) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
              || (i > from && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      i++;
    }
    return i;
  }

  private static int labelNameEnd(String s, int from, int to) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
              || (i > from && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      i++;
    }
    return i;
  }

  private static int tokenEnd(String s, int from, int to) {
    int i = from;
    while (i < to && !isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipBlanks(String s, int from, int to) {
    int i = from;
    while (i < to && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * One sample line.
   *
   * @param name the metric name as written (histogram series keep their {@code _bucket}, {@code
   *     _sum} and {@code _count} suffix)
   * @param labels the labels, unescaped; empty when the line has none
   * @param value the value (may be infinite or NaN)
   * @param timestampMs the timestamp in epoch milliseconds, when the line gave one
   */
  public record Sample(
      String name, Map<String, String> labels, double value, OptionalLong timestampMs) {
    public Sample {
      Objects.requireNonNull(name, "name");
      labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      timestampMs = timestampMs == null ? OptionalLong.empty() : timestampMs;
    }

    /** The value of one label, or null when the sample does not carry it. */
    public String label(String labelName) {
      return labels.get(labelName);
    }
  }

  /** An immutable parsed page. */
  public static final class Page {
    private final List<Sample> samples;
    private final Map<String, List<Sample>> byName;
    private final Map<String, String> types;
    private final int malformedLines;

    Page(List<Sample> samples, Map<String, String> types, int malformedLines) {
      this.samples = List.copyOf(samples);
      Map<String, List<Sample>> index = new HashMap<>();
      for (Sample sample : this.samples) {
        index.computeIfAbsent(sample.name(), k -> new ArrayList<>()).add(sample);
      }
      index.replaceAll((k, v) -> List.copyOf(v));
      this.byName = Map.copyOf(index);
      this.types = Map.copyOf(types);
      this.malformedLines = malformedLines;
    }

    /** Every sample, in page order. */
    public List<Sample> samples() {
      return samples;
    }

    /** The samples with exactly this name, in page order; empty when none. */
    public List<Sample> samples(String name) {
      return byName.getOrDefault(name, List.of());
    }

    /** Whether any sample has this name. */
    public boolean has(String name) {
      return byName.containsKey(name);
    }

    /** The names of all samples. */
    public Set<String> names() {
      return byName.keySet();
    }

    /** Metric family name to declared type ({@code counter}, {@code histogram}, ...). */
    public Map<String, String> types() {
      return types;
    }

    /** Lines that could not be parsed and were skipped. */
    public int malformedLines() {
      return malformedLines;
    }

    @Override
    public String toString() {
      return "Page[" + samples.size() + " samples, " + malformedLines + " malformed lines]";
    }
  }
}
