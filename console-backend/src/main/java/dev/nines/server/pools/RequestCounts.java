package dev.nines.server.pools;

import dev.nines.server.availability.RequestCount;
import dev.nines.server.store.Store;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where request-based availability gets its good and total counts: per host, over a range. */
public interface RequestCounts {
  /** The counts of {@code hostId} in buckets that start in {@code [fromMs, toMs)}, oldest first. */
  List<RequestCount> counts(String hostId, long fromMs, long toMs);

  /**
   * {@link #counts(String, long, long)} of several hosts, by host id (every host present). This
   * default asks host by host; a store answers in bulk.
   */
  default Map<String, List<RequestCount>> counts(Collection<String> hostIds, long fromMs, long toMs) {
    Map<String, List<RequestCount>> out = new TreeMap<>();
    for (String id : hostIds) {
      out.put(id, counts(id, fromMs, toMs));
    }
    return out;
  }

  /** The counts a store keeps (samples and rollups), read in bulk for several hosts. */
  static RequestCounts of(Store store) {
    return new RequestCounts() {
      @Override
      public List<RequestCount> counts(String hostId, long fromMs, long toMs) {
        return store.requestCounts(hostId, fromMs, toMs);
      }

      @Override
      public Map<String, List<RequestCount>> counts(Collection<String> hostIds, long fromMs, long toMs) {
        return store.requestCountsOf(hostIds, fromMs, toMs);
      }
    };
  }
}
