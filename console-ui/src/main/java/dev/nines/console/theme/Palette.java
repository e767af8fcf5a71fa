package dev.nines.console.theme;

import java.util.List;
import javafx.scene.paint.Color;

/**
 * The colours widgets draw with, one set per {@link Theme}. State colours are chosen to stay readable
 * on their theme's background (GitHub Primer's scales: the light theme uses the darker steps, the dark
 * theme the lighter ones).
 */
public record Palette(
    Color background,
    Color surface,
    Color foreground,
    Color muted,
    Color grid,
    Color ok,
    Color warning,
    Color critical,
    Color unknown,
    Color info,
    Color maintenance,
    Color threshold,
    List<Color> series) {

  public Palette {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("series must name at least one colour");
    }
    series = List.copyOf(series);
  }

  /** The dark theme's colours (on a #0d1117 background). */
  public static final Palette DARK =
      new Palette(
          Color.web("#0d1117"),
          Color.web("#161b22"),
          Color.web("#e6edf3"),
          Color.web("#8d96a0"),
          Color.web("#30363d"),
          Color.web("#3fb950"),
          Color.web("#d29922"),
          Color.web("#f85149"),
          Color.web("#8d96a0"),
          Color.web("#58a6ff"),
          Color.web("#bc8cff"),
          Color.web("#f0883e"),
          List.of(
              Color.web("#58a6ff"),
              Color.web("#3fb950"),
              Color.web("#d29922"),
              Color.web("#f778ba"),
              Color.web("#bc8cff"),
              Color.web("#39c5cf"),
              Color.web("#ff7b72"),
              Color.web("#e3b341")));

  /** The light theme's colours (on a white background). */
  public static final Palette LIGHT =
      new Palette(
          Color.web("#ffffff"),
          Color.web("#f6f8fa"),
          Color.web("#1f2328"),
          Color.web("#59636e"),
          Color.web("#d1d9e0"),
          Color.web("#1a7f37"),
          Color.web("#9a6700"),
          Color.web("#cf222e"),
          Color.web("#59636e"),
          Color.web("#0969da"),
          Color.web("#8250df"),
          Color.web("#bc4c00"),
          List.of(
              Color.web("#0969da"),
              Color.web("#1a7f37"),
              Color.web("#9a6700"),
              Color.web("#bf3989"),
              Color.web("#8250df"),
              Color.web("#1b7c83"),
              Color.web("#cf222e"),
              Color.web("#7d4e00")));

  /** The colour of a tone. */
  public Color color(Tone tone) {
    switch (tone) {
      case NEUTRAL:
        return series.get(0);
      case OK:
        return ok;
      case WARNING:
        return warning;
      case CRITICAL:
        return critical;
      case UNKNOWN:
        return unknown;
      case INFO:
        return info;
      case MAINTENANCE:
        return maintenance;
      default:
        throw new AssertionError(tone);
    }
  }

  /** The colour of the {@code index}-th series (cycling). */
  public Color seriesColor(int index) {
    return series.get(Math.floorMod(index, series.size()));
  }
}
