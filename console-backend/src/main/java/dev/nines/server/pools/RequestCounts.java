package dev.nines.server.pools;

import dev.nines.server.availability.RequestCount;
import java.util.List;

/** Where request-based availability gets its good and total counts: per host, over a range. */
public interface RequestCounts {
  /** The counts of {@code hostId} in buckets that start in {@code [fromMs, toMs)}, oldest first. */
  List<RequestCount> counts(String hostId, long fromMs, long toMs);
}
