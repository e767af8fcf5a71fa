package dev.nines.server.samples;

import dev.nines.server.store.RollupRun;
import dev.nines.server.store.Store;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the 1-minute and 1-hour rollups up to date: each run recomputes the complete buckets whose
 * raw samples changed since the last run (late reports included), in bounded passes of short
 * transactions so that ingest waits at most one bucket. The scheduler calls {@link #runOnce}; so do
 * tests, with a clock they move by hand.
 */
public final class RollupJob {
  private static final Logger LOG = LoggerFactory.getLogger(RollupJob.class);
  /** Buckets per resolution per pass. */
  static final int BUCKETS_PER_PASS = 200;
  /** Passes per run; what is left waits for the next run. */
  static final int MAX_PASSES = 50;

  private final Store store;
  private final Retention retention;

  public RollupJob(Store store, Retention retention) {
    this.store = store;
    this.retention = retention;
  }

  /** Rolls up what changed, as of {@code now}; returns the totals of this run. */
  public RollupRun runOnce(Instant now) {
    long nowMs = now.toEpochMilli();
    long rawFloor = nowMs - retention.raw().toMillis();
    long minuteFloor = nowMs - retention.minute().toMillis();
    int minutes = 0;
    int hours = 0;
    int dropped = 0;
    boolean more = true;
    for (int pass = 0; pass < MAX_PASSES && more; pass++) {
      RollupRun r = store.rollUp(nowMs, rawFloor, minuteFloor, BUCKETS_PER_PASS);
      minutes += r.minuteBuckets();
      hours += r.hourBuckets();
      dropped += r.dropped();
      more = r.more();
    }
    if (minutes + hours > 1_000 || more) {
      LOG.info(
          "rollup: recomputed {} minute and {} hour buckets{}", minutes, hours,
          more ? "; more left for the next run" : "");
    }
    if (dropped > 0) {
      LOG.info("rollup: {} changed buckets were past retention and left as they were", dropped);
    }
    return new RollupRun(minutes, hours, dropped, more);
  }
}
