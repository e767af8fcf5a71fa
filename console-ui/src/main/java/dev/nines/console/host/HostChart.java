package dev.nines.console.host;

import java.util.Arrays;
import java.util.List;

/**
 * One chart of the host screen as plain data (the view turns it into a {@code TimeSeriesChart}).
 *
 * @param id stable id ({@code cpu}, {@code gpu-temperature})
 * @param title the chart's title
 * @param kind what its values are (sets the axis unit)
 * @param lines its series, in legend order
 */
public record HostChart(String id, String title, Kind kind, List<Line> lines) {
  /** What the values are. */
  public enum Kind {
    /** 0..1, shown as a percent. */
    RATIO,
    /** Degrees Celsius. */
    CELSIUS,
    /** Watts. */
    WATTS,
    /** Milliseconds. */
    MILLISECONDS
  }

  public HostChart {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    title = title == null ? "" : title;
    lines = lines == null ? List.of() : List.copyOf(lines);
  }

  /** The line named {@code name}, or null. */
  public Line line(String name) {
    return lines.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * One series: times (epoch ms, ascending) and values (NaN: nothing in that bucket).
   *
   * @param name the legend's name ({@code GPU 0}, {@code p95})
   */
  public record Line(String name, long[] times, double[] values) {
    public Line {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name is required");
      }
      if (times == null || values == null || times.length != values.length) {
        throw new IllegalArgumentException("times and values must have the same length");
      }
      times = times.clone();
      values = values.clone();
    }

    public int size() {
      return times.length;
    }

    /** The last value that is a number, NaN when none. */
    public double lastValue() {
      for (int i = values.length - 1; i >= 0; i--) {
        if (!Double.isNaN(values[i])) {
          return values[i];
        }
      }
      return Double.NaN;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Line l && l.name.equals(name) && Arrays.equals(l.times, times) && Arrays.equals(l.values, values);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Line[" + name + ", " + times.length + " points]";
    }
  }
}
