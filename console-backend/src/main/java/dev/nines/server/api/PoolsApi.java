package dev.nines.server.api;

import dev.nines.server.auth.Access;
import dev.nines.server.availability.AvailabilityFigures;
import dev.nines.server.availability.BurnCheck;
import dev.nines.server.availability.BurnRate;
import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.availability.DegradedPolicy;
import dev.nines.server.availability.Outage;
import dev.nines.server.availability.RequestAvailability;
import dev.nines.server.availability.SloStatus;
import dev.nines.server.availability.Window;
import dev.nines.server.config.Durations;
import dev.nines.server.config.PoolSettings;
import dev.nines.server.pools.AvailabilityReport;
import dev.nines.server.pools.MemberStatus;
import dev.nines.server.pools.PoolService;
import dev.nines.server.pools.PoolStatus;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code GET /api/v1/pools}, {@code GET /api/v1/pools/{id}}: pools with members, availability, SLO
 * and burn rates; {@code GET /api/v1/availability?pool=|host=&from=&to=}: availability of one host
 * or pool over any window. Figures that are not available (nothing counted) are null.
 */
public final class PoolsApi {
  /** The window of the availability route when {@code from} is not given. */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  private final PoolService pools;
  private final Access access;
  private final Clock clock;

  public PoolsApi(PoolService pools, Access access, Clock clock) {
    this.pools = pools;
    this.access = access;
    this.clock = clock;
  }

  /** Guard as configured, and the members it requires now. */
  public record GuardView(Integer minActive, Double minActiveFraction, int required) {}

  /** How DEGRADED counts: {@code up}, {@code down} or {@code weighted} with its weight. */
  public record DegradedView(String counts, double weight) {}

  /** Good and total requests, and their ratio (null without requests). */
  public record RequestsView(long good, long total, Double availability) {}

  /** One multi-window burn condition now. */
  public record ConditionView(
      String name, String description, String severity, double threshold, String longWindow,
      String shortWindow, Double longRate, Double shortRate, boolean firing) {}

  /** The SLO: objective, period availability, budget, and (for one pool) burn rates. */
  public record SloView(
      double target, String period, Double availability, double errorBudget, Double budgetConsumed,
      Double budgetRemaining, Map<String, Double> burnRates, List<ConditionView> conditions,
      RequestsView requests) {}

  /** One member now. */
  public record MemberView(
      String id, String health, Long healthSince, String routing, String routingReason,
      String routingChangedBy, long routingSince, boolean serving) {}

  /** A pool in the list, or (with members) one pool. */
  public record PoolView(
      String name, String state, int memberCount, int membersUp, GuardView guard, DegradedView degraded,
      Map<String, Double> availability, SloView slo, List<MemberView> members) {}

  /** One outage in the window, epoch ms. */
  public record OutageView(long start, long end, long durationMs, boolean ended) {}

  /** The availability route's answer. */
  public record AvailabilityView(
      String kind, String id, long from, long to, Double availability, long countedMs, long excludedMs,
      long upMs, long degradedMs, long downMs, long downtimeMs, int incidents, Double mttrMs,
      Double mtbfMs, long longestOutageMs, List<OutageView> outages, RequestsView requests) {}

  /** Every pool, ordered by name. */
  public void list(Context ctx) {
    access.require(ctx, Access.READERS);
    List<PoolView> out = new ArrayList<>();
    for (PoolStatus p : pools.pools(clock.instant())) {
      out.add(view(p, false));
    }
    ctx.json(out);
  }

  /** One pool with its members, SLO figures, burn rates and conditions; 404 when unknown. */
  public void one(Context ctx) {
    access.require(ctx, Access.READERS);
    String id = ctx.pathParam("id");
    PoolStatus p =
        pools.pool(id, clock.instant())
            .orElseThrow(() -> new ApiException(404, "unknown pool", "no pool named '" + id + "'"));
    ctx.json(view(p, true));
  }

  /**
   * Availability of exactly one of {@code pool} or {@code host} over {@code [from, to)}; {@code to}
   * defaults to now (and is clipped to now: the future has no figures), {@code from} to 24 h before
   * {@code to}. 400 for a bad window, 404 for an unknown pool or host.
   */
  public void availability(Context ctx) {
    access.require(ctx, Access.READERS);
    String pool = blankToNull(ctx.queryParam("pool"));
    String host = blankToNull(ctx.queryParam("host"));
    if ((pool == null) == (host == null)) {
      throw new ApiException(400, "invalid parameter", "give exactly one of pool and host");
    }
    Window window = window(ctx, clock.millis(), DEFAULT_WINDOW, "window");
    AvailabilityReport r =
        pool != null
            ? pools.poolAvailability(pool, window)
                .orElseThrow(() -> new ApiException(404, "unknown pool", "no pool named '" + pool + "'"))
            : pools.hostAvailability(host, window)
                .orElseThrow(() -> new ApiException(404, "unknown host", "no host with id '" + host + "'"));
    ctx.json(view(r));
  }

  /**
   * The window {@code [from, to)} of the query: {@code to} defaults to {@code now} and is clipped to
   * it (the future has no figures), {@code from} to {@code defaultLength} before {@code to}; at most
   * {@link PoolService#MAX_WINDOW} long. 400 naming the problem ({@code noun}: "window", "period").
   */
  static Window window(Context ctx, long now, Duration defaultLength, String noun) {
    long to = HostsApi.instant("to", ctx.queryParam("to"), now);
    long from = HostsApi.instant("from", ctx.queryParam("from"), Math.min(to, now) - defaultLength.toMillis());
    if (from >= to) {
      throw new ApiException(400, "invalid parameter", "from (" + from + ") must be before to (" + to + ")");
    }
    if (to - from > PoolService.MAX_WINDOW.toMillis()) {
      throw new ApiException(
          400, "invalid parameter", "the " + noun + " may be at most " + Durations.format(PoolService.MAX_WINDOW) + " long");
    }
    to = Math.min(to, now);
    if (from >= to) {
      throw new ApiException(400, "invalid parameter", "the " + noun + " starts in the future (from " + from + ", now " + now + ")");
    }
    return new Window(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
  }

  static AvailabilityView view(AvailabilityReport r) {
    AvailabilityFigures f = r.time();
    List<OutageView> outages = new ArrayList<>();
    for (Outage o : f.outages()) {
      outages.add(new OutageView(o.start().toEpochMilli(), o.end().toEpochMilli(), o.durationMs(), o.endedInWindow()));
    }
    return new AvailabilityView(
        r.kind(), r.id(), f.window().from().toEpochMilli(), f.window().to().toEpochMilli(),
        orNull(f.availability()), f.countedMs(), f.excludedMs(), f.upMs(), f.degradedMs(), f.downMs(),
        f.downtimeMs(), f.incidentCount(), orNull(f.mttrMs()), orNull(f.mtbfMs()), f.longestOutageMs(),
        outages, requests(r.requests()));
  }

  static PoolView view(PoolStatus p, boolean detail) {
    PoolSettings s = p.settings();
    CapacityGuard g = s.guard();
    GuardView guard =
        new GuardView(
            g.minActive() > 0 ? g.minActive() : null, g.minActiveFraction() > 0 ? g.minActiveFraction() : null,
            p.required());
    Map<String, Double> availability = new LinkedHashMap<>();
    availability.put("1h", orNull(p.availability1h()));
    availability.put("1d", orNull(p.availability1d()));
    availability.put("30d", orNull(p.availability30d()));
    SloStatus slo = p.slo();
    Map<String, Double> burn = null;
    List<ConditionView> conditions = null;
    if (detail) {
      burn = new LinkedHashMap<>();
      for (BurnRate b : slo.burnRates()) {
        burn.put(b.window().label(), orNull(b.rate()));
      }
      conditions = new ArrayList<>();
      for (BurnCheck c : slo.checks()) {
        conditions.add(
            new ConditionView(
                c.condition().conditionName(), c.condition().description(),
                c.condition().severity().name().toLowerCase(java.util.Locale.ROOT), c.condition().threshold(),
                c.condition().longWindow().label(), c.condition().shortWindow().label(), orNull(c.longRate()),
                orNull(c.shortRate()), c.firing()));
      }
    }
    SloView sloView =
        new SloView(
            s.slo().target(), Durations.format(s.slo().period()), orNull(slo.periodAvailability()),
            slo.errorBudget(), orNull(slo.budgetConsumed()), orNull(slo.budgetRemaining()), burn, conditions,
            p.requests() == null ? null : requests(p.requests()));
    List<MemberView> members = null;
    if (detail) {
      members = new ArrayList<>();
      for (MemberStatus m : p.members()) {
        members.add(
            new MemberView(
                m.hostId(), m.health(), m.healthSinceMs(), m.routing().state().name(), m.routing().reason(),
                m.routing().changedBy(), m.routing().changedAtMs(), m.serving()));
      }
    }
    return new PoolView(
        p.name(), p.state().name(), p.memberCount(), p.membersUp(), guard, degraded(s.degraded()), availability,
        sloView, members);
  }

  static DegradedView degraded(DegradedPolicy d) {
    String counts = d.degradedWeight() == 1.0 ? "up" : d.degradedWeight() == 0.0 ? "down" : "weighted";
    return new DegradedView(counts, d.degradedWeight());
  }

  private static RequestsView requests(RequestAvailability r) {
    return new RequestsView(r.good(), r.total(), orNull(r.ratio()));
  }

  private static Double orNull(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
