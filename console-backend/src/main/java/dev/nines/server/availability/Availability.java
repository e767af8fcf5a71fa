package dev.nines.server.availability;

import dev.nines.protocol.RoutingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Availability and SLO maths: pure functions of exact state timelines, counts and a time. No I/O,
 * no clock; every figure is exact to the millisecond and computed in linear sweeps (a pool in
 * {@code O(C log n)} for C change points of n members).
 *
 * <p>A host is up while ACTIVE and HEALTHY; ACTIVE and DEGRADED counts per the pool's {@link
 * DegradedPolicy}; any other health (UNHEALTHY, UNKNOWN) or routing (DRAINING, DRAINED) is down.
 * Routing MAINTENANCE, explicit maintenance windows and time before the first report are excluded
 * from both numerator and denominator.
 *
 * <p>A pool with {@code k} required members (its {@link CapacityGuard}) is, at each instant: up while
 * at least {@code k} members are up; degraded while that holds only when degraded members are
 * counted too; excluded (maintenance) while the shortfall is covered by members in maintenance, or a
 * pool maintenance window applies, or no member has reported yet; down otherwise. Members that have
 * not reported yet serve nothing.
 */
public final class Availability {
  private Availability() {}

  /** Time-based figures of one host over {@code window}. */
  public static AvailabilityFigures host(HostTimeline host, Window window, DegradedPolicy policy) {
    require(host, "host");
    require(window, "window");
    require(policy, "policy");
    return figures(hostStream(host, window.fromMs(), window.toMs()), window, policy);
  }

  /**
   * Time-based figures of a pool over {@code window}, from an exact sweep of all its members' change
   * points.
   *
   * @param members the pool's members (their number is what {@code minActiveFraction} applies to)
   * @param poolMaintenance maintenance windows of the whole pool
   */
  public static AvailabilityFigures pool(
      List<HostTimeline> members,
      List<MaintenanceWindow> poolMaintenance,
      CapacityGuard guard,
      Window window,
      DegradedPolicy policy) {
    require(members, "members");
    require(poolMaintenance, "poolMaintenance");
    require(guard, "guard");
    require(window, "window");
    require(policy, "policy");
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i) == null) {
        throw new IllegalArgumentException("members[" + i + "] is null");
      }
    }
    ClassStream s =
        poolStream(members, HostTimeline.mergeWindows(poolMaintenance), guard, window.fromMs(), window.toMs());
    return figures(s, window, policy);
  }

  /** Request-based availability: the good and total counts of the buckets that start in the window. */
  public static RequestAvailability requests(List<RequestCount> counts, Window window) {
    require(counts, "counts");
    require(window, "window");
    long good = 0;
    long total = 0;
    for (int i = 0; i < counts.size(); i++) {
      RequestCount c = counts.get(i);
      if (c == null) {
        throw new IllegalArgumentException("counts[" + i + "] is null");
      }
      long at = c.bucketStart().toEpochMilli();
      if (at >= window.fromMs() && at < window.toMs()) {
        good = Math.addExact(good, c.good());
        total = Math.addExact(total, c.total());
      }
    }
    return new RequestAvailability(window, good, total);
  }

  /**
   * An SLO's state at {@code now}: error budget over the period ending at {@code now}, burn rates over
   * the standard windows ending at {@code now}, and the SRE workbook's multi-window conditions.
   *
   * @param availabilityOver availability over a window (time- or request-based; empty when not
   *     available), e.g. {@code w -> Availability.pool(members, List.of(), guard, w, policy).availability()}
   */
  public static SloStatus slo(Slo slo, Instant now, Function<Window, OptionalDouble> availabilityOver) {
    require(slo, "slo");
    require(now, "now");
    require(availabilityOver, "availabilityOver");
    OptionalDouble period = availabilityOver.apply(Window.ending(now, slo.period()));
    List<BurnRate> rates = new ArrayList<>();
    for (BurnWindow w : BurnWindow.values()) {
      rates.add(new BurnRate(w, burnRate(slo, availabilityOver.apply(Window.ending(now, w.duration())))));
    }
    List<BurnCheck> checks = new ArrayList<>();
    for (BurnCondition c : BurnCondition.values()) {
      OptionalDouble longRate = rates.get(c.longWindow().ordinal()).rate();
      OptionalDouble shortRate = rates.get(c.shortWindow().ordinal()).rate();
      checks.add(new BurnCheck(c, longRate, shortRate, c.firesOn(longRate, shortRate)));
    }
    return new SloStatus(slo, now, period, rates, checks);
  }

  /** (1 - availability) / (1 - target); empty when the availability is not available. */
  public static OptionalDouble burnRate(Slo slo, OptionalDouble availability) {
    require(slo, "slo");
    require(availability, "availability");
    if (availability.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((1.0 - availability.getAsDouble()) / slo.errorBudget());
  }

  // ---- streams ----

  static byte classify(StateChange c) {
    RoutingState r = c.routing();
    if (r == RoutingState.MAINTENANCE) {
      return ClassStream.MAINTENANCE;
    }
    if (r != RoutingState.ACTIVE) {
      return ClassStream.DOWN;
    }
    switch (c.health()) {
      case HEALTHY:
        return ClassStream.UP;
      case DEGRADED:
        return ClassStream.DEGRADED;
      case UNHEALTHY:
      case UNKNOWN:
        return ClassStream.DOWN;
      default:
        throw new AssertionError(c.health());
    }
  }

  /** Index of the last change at or before {@code ms}, or -1 when there is none. */
  static int lastAtOrBefore(List<StateChange> changes, long ms) {
    int lo = 0;
    int hi = changes.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (changes.get(mid).atMs() <= ms) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  static ClassStream hostStream(HostTimeline host, long fromMs, long toMs) {
    List<StateChange> changes = host.changes();
    int first = lastAtOrBefore(changes, fromMs);
    int last = lastAtOrBefore(changes, toMs - 1);
    ClassStream s = new ClassStream(fromMs, toMs, last - first + 2);
    s.add(fromMs, first < 0 ? ClassStream.UNREPORTED : classify(changes.get(first)));
    for (int i = first + 1; i <= last; i++) {
      StateChange c = changes.get(i);
      s.add(c.atMs(), classify(c));
    }
    return overlay(s, host.maintenance());
  }

  /** The stream with MAINTENANCE wherever one of the (sorted, merged) windows applies. */
  static ClassStream overlay(ClassStream s, List<MaintenanceWindow> windows) {
    int wi = 0;
    while (wi < windows.size() && windows.get(wi).toMs() <= s.fromMs) {
      wi++;
    }
    if (wi == windows.size() || windows.get(wi).fromMs() >= s.toMs) {
      return s; // no window touches this one
    }
    ClassStream out = new ClassStream(s.fromMs, s.toMs, s.size + 2 * (windows.size() - wi));
    int si = 0;
    byte base = s.classes[0];
    long cur = s.fromMs;
    while (cur < s.toMs) {
      while (si < s.size && s.times[si] <= cur) {
        base = s.classes[si];
        si++;
      }
      while (wi < windows.size() && windows.get(wi).toMs() <= cur) {
        wi++;
      }
      boolean inWindow = wi < windows.size() && windows.get(wi).fromMs() <= cur;
      out.add(cur, inWindow ? ClassStream.MAINTENANCE : base);
      long next = si < s.size ? s.times[si] : Long.MAX_VALUE;
      if (wi < windows.size()) {
        next = Math.min(next, inWindow ? windows.get(wi).toMs() : windows.get(wi).fromMs());
      }
      cur = next;
    }
    return out;
  }

  static ClassStream poolStream(
      List<HostTimeline> members, List<MaintenanceWindow> poolMaintenance, CapacityGuard guard, long fromMs, long toMs) {
    int n = members.size();
    int need = guard.requiredOf(n);
    ClassStream[] streams = new ClassStream[n];
    int[] ptr = new int[n];
    int[] counts = new int[ClassStream.CLASSES];
    // A binary min-heap of members by their next change time; the keys sit beside the member ids
    // so that sifting reads one array, not each member's stream.
    int[] heap = new int[n];
    long[] keys = new long[n];
    int heapSize = 0;
    int points = 0;
    for (int m = 0; m < n; m++) {
      streams[m] = hostStream(members.get(m), fromMs, toMs);
      counts[streams[m].classes[0]]++;
      ptr[m] = 1;
      points += streams[m].size;
      if (streams[m].size > 1) {
        heap[heapSize] = m;
        keys[heapSize] = streams[m].times[1];
        heapSize++;
      }
    }
    for (int i = heapSize / 2 - 1; i >= 0; i--) {
      siftDown(heap, keys, heapSize, i);
    }
    ClassStream out = new ClassStream(fromMs, toMs, Math.min(points, 1 << 16));
    out.add(fromMs, poolClass(counts, n, need));
    while (heapSize > 0) {
      long time = keys[0];
      do {
        int m = heap[0];
        ClassStream s = streams[m];
        int p = ptr[m];
        counts[s.classes[p - 1]]--;
        counts[s.classes[p]]++;
        ptr[m] = ++p;
        if (p == s.size) {
          heapSize--;
          heap[0] = heap[heapSize];
          keys[0] = keys[heapSize];
        } else {
          keys[0] = s.times[p];
        }
        if (heapSize > 0) {
          siftDown(heap, keys, heapSize, 0);
        }
      } while (heapSize > 0 && keys[0] == time);
      out.add(time, poolClass(counts, n, need));
    }
    return overlay(out, poolMaintenance);
  }

  private static void siftDown(int[] heap, long[] keys, int size, int i) {
    int m = heap[i];
    long key = keys[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && keys[child + 1] < keys[child]) {
        child++;
      }
      if (key <= keys[child]) {
        break;
      }
      heap[i] = heap[child];
      keys[i] = keys[child];
      i = child;
    }
    heap[i] = m;
    keys[i] = key;
  }

  static byte poolClass(int[] counts, int members, int need) {
    if (counts[ClassStream.UNREPORTED] == members) {
      return ClassStream.UNREPORTED;
    }
    int serving = counts[ClassStream.UP];
    if (serving >= need) {
      return ClassStream.UP;
    }
    serving += counts[ClassStream.DEGRADED];
    if (serving >= need) {
      return ClassStream.DEGRADED;
    }
    serving += counts[ClassStream.MAINTENANCE];
    if (serving >= need) {
      return ClassStream.MAINTENANCE;
    }
    return ClassStream.DOWN;
  }

  // ---- figures ----

  static AvailabilityFigures figures(ClassStream s, Window window, DegradedPolicy policy) {
    boolean degradedIsUp = policy.degradedIsUp();
    long up = 0;
    long degraded = 0;
    long down = 0;
    long excluded = 0;
    List<Outage> outages = new ArrayList<>();
    boolean inOutage = false;
    long outageStart = 0;
    long outageEnd = 0;
    long outageMs = 0;
    long endedMs = 0;
    int ended = 0;
    long inOutagesMs = 0;
    long longest = 0;
    for (int i = 0; i < s.size; i++) {
      long start = s.times[i];
      long end = s.endOf(i);
      long d = end - start;
      boolean impaired;
      switch (s.classes[i]) {
        case ClassStream.UP:
          up += d;
          impaired = false;
          break;
        case ClassStream.DEGRADED:
          degraded += d;
          impaired = !degradedIsUp;
          break;
        case ClassStream.DOWN:
          down += d;
          impaired = true;
          break;
        default: // maintenance, not reported: neither starts nor ends an outage
          excluded += d;
          continue;
      }
      if (impaired) {
        if (!inOutage) {
          inOutage = true;
          outageStart = start;
          outageMs = 0;
        }
        outageMs += d;
        outageEnd = end;
      } else if (inOutage) {
        inOutage = false;
        outages.add(new Outage(Instant.ofEpochMilli(outageStart), Instant.ofEpochMilli(outageEnd), outageMs, true));
        ended++;
        endedMs += outageMs;
        inOutagesMs += outageMs;
        longest = Math.max(longest, outageMs);
      }
    }
    if (inOutage) {
      outages.add(new Outage(Instant.ofEpochMilli(outageStart), Instant.ofEpochMilli(outageEnd), outageMs, false));
      inOutagesMs += outageMs;
      longest = Math.max(longest, outageMs);
    }
    long counted = up + degraded + down;
    double weight = policy.degradedWeight();
    OptionalDouble availability =
        counted == 0 ? OptionalDouble.empty() : OptionalDouble.of((up + weight * degraded) / counted);
    long downtime = down + Math.round((1.0 - weight) * degraded);
    OptionalDouble mttr = ended == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) endedMs / ended);
    OptionalDouble mtbf =
        outages.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of((double) (counted - inOutagesMs) / outages.size());
    return new AvailabilityFigures(
        window, counted, excluded, up, degraded, down, availability, downtime, outages, mttr, mtbf, longest);
  }

  private static void require(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
