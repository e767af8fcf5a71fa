package dev.nines.server.samples;

import dev.nines.server.store.Resolution;
import dev.nines.server.store.Store;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention: raw samples and report bodies older than {@link Retention#raw}, 1-minute
 * rollups older than {@link Retention#minute}, 1-hour rollups older than {@link Retention#hour}.
 * Deletes in small time slices, one short transaction each, so ingest is never held up long.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  static final long RAW_SLICE_MS = 60_000;
  static final long MINUTE_SLICE_MS = 3_600_000;
  static final long HOUR_SLICE_MS = 86_400_000;
  private static final long PROGRESS_EVERY = 100_000;

  /** Rows deleted by one run. */
  public record Pruned(long reports, long rawSamples, long minuteRollups, long hourRollups) {
    public long total() {
      return reports + rawSamples + minuteRollups + hourRollups;
    }
  }

  private interface Chunk {
    long delete(long beforeMs);
  }

  private final Store store;
  private final Retention retention;

  public RetentionJob(Store store, Retention retention) {
    this.store = store;
    this.retention = retention;
  }

  /** Deletes everything past retention as of {@code now}. */
  public Pruned runOnce(Instant now) {
    long nowMs = now.toEpochMilli();
    long rawCut = nowMs - retention.raw().toMillis();
    long reports = drain("report bodies", rawCut, b -> store.pruneReports(b, RAW_SLICE_MS));
    long raw = drain("raw samples", rawCut, b -> store.prune(Resolution.RAW, b, RAW_SLICE_MS));
    long minute =
        drain(
            "1-minute rollups", nowMs - retention.minute().toMillis(),
            b -> store.prune(Resolution.MINUTE, b, MINUTE_SLICE_MS));
    long hour =
        drain(
            "1-hour rollups", nowMs - retention.hour().toMillis(),
            b -> store.prune(Resolution.HOUR, b, HOUR_SLICE_MS));
    Pruned p = new Pruned(reports, raw, minute, hour);
    if (p.total() >= 10_000) {
      LOG.info(
          "retention: deleted {} report bodies, {} raw samples, {} 1-minute and {} 1-hour rollup rows",
          reports, raw, minute, hour);
    }
    return p;
  }

  private static long drain(String what, long beforeMs, Chunk chunk) {
    long total = 0;
    long nextReport = PROGRESS_EVERY;
    while (true) {
      long n = chunk.delete(beforeMs);
      if (n == 0) {
        return total;
      }
      total += n;
      if (total >= nextReport) {
        LOG.info("retention: {} {} deleted so far (older than {})", total, what, Instant.ofEpochMilli(beforeMs));
        nextReport += PROGRESS_EVERY;
      }
      if (Thread.currentThread().isInterrupted()) {
        return total;
      }
    }
  }
}
