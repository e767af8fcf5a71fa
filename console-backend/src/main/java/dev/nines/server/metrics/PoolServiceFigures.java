package dev.nines.server.metrics;

import dev.nines.server.availability.BurnCondition;
import dev.nines.server.availability.BurnWindow;
import dev.nines.server.pools.PoolService;
import dev.nines.server.pools.PoolStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The metrics page's view of the pool service's (cached) snapshot. */
public final class PoolServiceFigures implements PoolFiguresSource {
  private final PoolService pools;

  public PoolServiceFigures(PoolService pools) {
    this.pools = pools;
  }

  @Override
  public List<PoolFigures> snapshot(Instant now) {
    List<PoolFigures> out = new ArrayList<>();
    for (PoolStatus p : pools.snapshot(now).pools()) {
      Map<String, Double> availability = new LinkedHashMap<>();
      put(availability, "1h", p.availability1h());
      put(availability, "1d", p.availability1d());
      put(availability, "30d", p.availability30d());
      Map<String, Double> burn = new LinkedHashMap<>();
      for (BurnWindow w : BurnWindow.values()) {
        put(burn, w.label(), p.slo().burnRate(w));
      }
      OptionalDouble remaining = p.slo().budgetRemaining();
      Map<String, Boolean> alerts = new LinkedHashMap<>();
      for (BurnCondition c : BurnCondition.values()) {
        alerts.put(c.conditionName(), p.slo().check(c).firing());
      }
      out.add(
          new PoolFigures(
              p.name(), availability, remaining.isPresent() ? remaining.getAsDouble() : null, burn,
              p.state().name(), p.memberCount(), p.membersUp(), alerts, p.slo().slo().target()));
    }
    return out;
  }

  private static void put(Map<String, Double> map, String key, OptionalDouble value) {
    if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
      map.put(key, value.getAsDouble());
    }
  }
}
