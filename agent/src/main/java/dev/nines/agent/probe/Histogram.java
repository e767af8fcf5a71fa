package dev.nines.agent.probe;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A cumulative latency histogram in seconds, summed over the label sets of one page.
 *
 * @param buckets upper bound ({@code le}, seconds; the last is {@code +Inf} when the page had it)
 *     to the cumulative count of observations at or below it
 * @param sumSeconds sum of all observations
 * @param count number of observations
 */
record Histogram(NavigableMap<Double, Double> buckets, double sumSeconds, double count) {
  Histogram {
    Objects.requireNonNull(buckets, "buckets");
    buckets = Collections.unmodifiableNavigableMap(new TreeMap<>(buckets));
  }

  static Histogram of(Map<Double, Double> buckets, double sumSeconds, double count) {
    return new Histogram(new TreeMap<>(buckets), sumSeconds, count);
  }

  /** Whether any figure of {@code later} is below the same figure here (a counter reset). */
  boolean decreasedIn(Histogram later) {
    if (later.count < count || later.sumSeconds < sumSeconds) {
      return true;
    }
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      Double after = later.buckets.get(bucket.getKey());
      if (after == null || after < bucket.getValue()) {
        return true; // a bucket vanished (the layout changed) or went down
      }
    }
    return false;
  }

  /** The observations made between this histogram and {@code later}; no reset check. */
  Histogram until(Histogram later) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> bucket : later.buckets.entrySet()) {
      delta.put(bucket.getKey(), bucket.getValue() - buckets.getOrDefault(bucket.getKey(), 0.0));
    }
    return new Histogram(delta, later.sumSeconds - sumSeconds, later.count - count);
  }
}
