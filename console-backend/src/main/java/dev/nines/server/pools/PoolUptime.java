package dev.nines.server.pools;

import dev.nines.server.availability.AvailabilityFigures;
import java.util.List;

/**
 * What an uptime report needs of one pool: its {@link PoolReport} over the report's period and its
 * time-based figures over each of the period's days (see {@link PoolService#uptime}).
 *
 * @param report the pool's report over the period
 * @param daily the pool's figures over each day asked for, in the order asked
 */
public record PoolUptime(PoolReport report, List<AvailabilityFigures> daily) {
  public PoolUptime {
    if (report == null) {
      throw new IllegalArgumentException("report is required");
    }
    if (daily == null) {
      throw new IllegalArgumentException("daily is required");
    }
    daily = List.copyOf(daily);
  }
}
