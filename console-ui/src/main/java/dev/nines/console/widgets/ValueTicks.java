package dev.nines.console.widgets;

import java.util.Arrays;

/**
 * Round tick values for a value axis ("nice numbers": steps of 1, 2, 2.5 or 5 times a power of ten),
 * computed on the shown number of a {@link Unit}. Pure: no JavaFX.
 */
public final class ValueTicks {
  /**
   * The ticks: shown values from {@code first} to {@code last} by {@code step}, and how many decimals
   * label them.
   */
  public record Scale(double first, double last, double step, int decimals) {
    public Scale {
      if (!(step > 0)) {
        throw new IllegalArgumentException("step must be positive, was " + step);
      }
      if (last < first) {
        throw new IllegalArgumentException("last must not be below first: " + first + " .. " + last);
      }
    }

    /** The tick values (shown numbers), first to last. */
    public double[] values() {
      int n = (int) Math.round((last - first) / step) + 1;
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = first + i * step;
      }
      return out;
    }

    @Override
    public String toString() {
      return "Scale" + Arrays.toString(values());
    }
  }

  private ValueTicks() {}

  /**
   * A scale that covers {@code [min, max]} (shown numbers) with at most about {@code maxTicks} ticks;
   * an empty range is widened so it still has a few ticks.
   */
  public static Scale scale(double min, double max, int maxTicks) {
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      throw new IllegalArgumentException("min and max must be finite, were " + min + ", " + max);
    }
    if (max < min) {
      throw new IllegalArgumentException("max must not be below min: " + min + " .. " + max);
    }
    if (maxTicks < 2) {
      throw new IllegalArgumentException("maxTicks must be at least 2, was " + maxTicks);
    }
    if (max == min) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double step = niceStep((max - min) / (maxTicks - 1));
    double first = Math.floor(min / step + 1e-9) * step;
    double last = Math.ceil(max / step - 1e-9) * step;
    while ((last - first) / step + 1 > maxTicks + 0.5) {
      step = niceStep(step * 1.01);
      first = Math.floor(min / step + 1e-9) * step;
      last = Math.ceil(max / step - 1e-9) * step;
    }
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
      decimals++; // 2.5 steps need one decimal more
    }
    return new Scale(first, last, step, decimals);
  }

  /** The smallest of 1, 2, 2.5, 5 x 10^k that is at least {@code rough}. */
  static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= rough * (1 - 1e-9)) {
        return m * power;
      }
    }
    return 10 * power;
  }
}
