package dev.nines.server.samples;

import dev.nines.server.store.Resolution;

/**
 * What a metrics range query reads: the range, the step and the source. Pure.
 *
 * @param fromMs start, inclusive
 * @param toMs end, exclusive
 * @param stepMs the width of one point
 * @param source where the range is read from first ({@code raw}, {@code 1m} or {@code 1h})
 */
public record SeriesPlan(long fromMs, long toMs, long stepMs, Resolution source) {
  /** The most points a query may ask for. */
  public static final long MAX_POINTS = 11_000;
  /** About how many points a query gets when it names no step. */
  static final long TARGET_POINTS = 300;
  static final long DEFAULT_RANGE_MS = 3_600_000;
  private static final long[] NICE_STEPS_MS = {
    1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
    1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000
  };

  /**
   * Plans a query. {@code to} defaults to now, {@code from} to an hour before {@code to}, the step to
   * a round value giving about 300 points. Raw samples serve steps under a minute while raw
   * samples still hold {@code from}; 1-minute rollups serve steps under an hour while they hold
   * {@code from}; 1-hour rollups serve the rest. With a rollup as the source, {@code from} moves
   * back to the start of its bucket.
   *
   * @throws IllegalArgumentException naming the parameter: {@code from} not before {@code to}, a
   *     step under 1 s, more than {@link #MAX_POINTS} points
   */
  public static SeriesPlan of(long nowMs, Long fromMs, Long toMs, Long stepMs, Retention retention) {
    long to = toMs == null ? nowMs : toMs;
    long from = fromMs == null ? to - DEFAULT_RANGE_MS : fromMs;
    if (from >= to) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    long span = to - from;
    long step;
    if (stepMs == null) {
      step = niceStep(span);
    } else {
      step = stepMs;
      if (step < 1_000) {
        throw new IllegalArgumentException("step must be at least 1s (was " + step + " ms)");
      }
    }
    Resolution source;
    if (step < 60_000 && from >= nowMs - retention.raw().toMillis()) {
      source = Resolution.RAW;
    } else if (step < 3_600_000 && from >= nowMs - retention.minute().toMillis()) {
      source = Resolution.MINUTE;
    } else {
      source = Resolution.HOUR;
    }
    // A rollup bucket is the finest thing it knows: start at the bucket that holds from.
    if (source != Resolution.RAW) {
      from = Math.floorDiv(from, source.bucketMs()) * source.bucketMs();
      span = to - from;
    }
    long points = (span + step - 1) / step;
    if (points > MAX_POINTS) {
      throw new IllegalArgumentException(
          "step: " + points + " points asked for; at most " + MAX_POINTS + " (use a step of at least "
              + ((span + MAX_POINTS - 1) / MAX_POINTS) + " ms)");
    }
    return new SeriesPlan(from, to, step, source);
  }

  /** The smallest round step that gives at most about 300 points over this span. */
  static long niceStep(long spanMs) {
    long wanted = Math.max(1_000, (spanMs + TARGET_POINTS - 1) / TARGET_POINTS);
    for (long s : NICE_STEPS_MS) {
      if (s >= wanted) {
        return s;
      }
    }
    long day = 86_400_000;
    return ((wanted + day - 1) / day) * day;
  }
}
