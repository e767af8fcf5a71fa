package dev.nines.server.metrics;

import java.time.Instant;
import java.util.List;

/**
 * Where the metrics page takes per-pool figures from. The page calls it at most once per pool
 * refresh period (see {@link FleetMetrics}), from the scraping thread.
 */
public interface PoolFiguresSource {
  /** Every pool's figures as of {@code now}, in any order. */
  List<PoolFigures> snapshot(Instant now);
}
