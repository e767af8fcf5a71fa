package dev.nines.agent.collect.host;

import dev.nines.protocol.HostMetrics.FilesystemUsage;
import dev.nines.protocol.HostMetrics.NetworkRates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oshi.hardware.CentralProcessor.TickType;

/** The pure arithmetic of host collection: no I/O, so every rule here is tested on plain values. */
final class HostMath {
  /** Types that are not storage: kernel views, memory-backed or image mounts. */
  static final Set<String> PSEUDO_TYPES =
      Set.of(
          "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "pstore",
          "securityfs", "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs",
          "bpf", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "squashfs",
          "selinuxfs", "fuse.gvfsd-fuse", "fuse.portal");

  /** At most this many entries of each list, the limit of {@link dev.nines.protocol.HostMetrics}. */
  static final int MAX_ENTRIES = 256;

  private HostMath() {}

  /**
   * CPU busy share between two tick snapshots in OSHI's {@link TickType} order. Idle and I/O wait
   * count as not busy. Null when either snapshot is missing, the arrays differ in length, no time
   * passed, or a counter went backwards.
   */
  static Double cpuRatio(long[] prevTicks, long[] ticks) {
    if (prevTicks == null || ticks == null || prevTicks.length != ticks.length) {
      return null;
    }
    long total = 0;
    long idle = 0;
    for (int i = 0; i < ticks.length; i++) {
      long delta = ticks[i] - prevTicks[i];
      if (delta < 0) {
        return null;
      }
      total += delta;
      if (i == TickType.IDLE.getIndex() || i == TickType.IOWAIT.getIndex()) {
        idle += delta;
      }
    }
    if (total <= 0) {
      return null;
    }
    double ratio = (double) (total - idle) / total;
    return Math.max(0.0, Math.min(1.0, ratio));
  }

  /**
   * Per-second rate of a cumulative counter. Null when no time passed or the counter went
   * backwards (a reset or wrap: the interval's true amount is unknown, and a negative rate would
   * be a lie). Counters are unsigned 64-bit, as the kernel keeps them.
   */
  static Double ratePerSecond(long prev, long now, Duration elapsed) {
    if (elapsed == null || elapsed.isNegative() || elapsed.isZero()) {
      return null;
    }
    if (Long.compareUnsigned(now, prev) < 0) {
      return null;
    }
    long delta = now - prev;
    if (delta < 0) {
      return null; // more than 2^63 in one interval: not a real count
    }
    return delta / (elapsed.toNanos() / 1e9);
  }

  /**
   * Rates of every interface in {@code now}. Interfaces not in {@code prev} (first sample, or new
   * since) get null rates. Order follows {@code now}.
   */
  static List<NetworkRates> networkRates(
      Map<String, NetCounters> prev, Map<String, NetCounters> now, Duration elapsed) {
    List<NetworkRates> out = new ArrayList<>();
    for (Map.Entry<String, NetCounters> e : now.entrySet()) {
      if (out.size() == MAX_ENTRIES) {
        break;
      }
      NetCounters n = e.getValue();
      NetCounters p = prev == null ? null : prev.get(e.getKey());
      if (p == null) {
        out.add(new NetworkRates(e.getKey(), null, null, null, null));
      } else {
        out.add(
            new NetworkRates(
                e.getKey(),
                ratePerSecond(p.rxBytes(), n.rxBytes(), elapsed),
                ratePerSecond(p.txBytes(), n.txBytes(), elapsed),
                ratePerSecond(p.rxErrors(), n.rxErrors(), elapsed),
                ratePerSecond(p.txErrors(), n.txErrors(), elapsed)));
      }
    }
    return out;
  }

  /**
   * Parses the text of {@code /proc/net/dev}: two header lines, then {@code name: 16 counters}
   * (receive bytes, packets, errs, drop, fifo, frame, compressed, multicast; then transmit bytes,
   * packets, errs, ...). Malformed lines are skipped. Order is the file's.
   */
  static Map<String, NetCounters> parseProcNetDev(String text) {
    Map<String, NetCounters> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (name.isEmpty() || f.length < 16) {
        continue;
      }
      try {
        out.put(
            name,
            new NetCounters(
                Long.parseUnsignedLong(f[0]),
                Long.parseUnsignedLong(f[8]),
                Long.parseUnsignedLong(f[2]),
                Long.parseUnsignedLong(f[10])));
      } catch (NumberFormatException ex) {
        // not a counter line (e.g. a header); skip it
      }
    }
    return out;
  }

  /**
   * One mount as the operating system lists it.
   *
   * @param mount mount point
   * @param volume device or source (e.g. {@code /dev/vda}, {@code server:/export})
   * @param type file system type
   * @param totalBytes size
   * @param freeBytes free space (including space reserved for root)
   */
  record Mount(String mount, String volume, String type, long totalBytes, long freeBytes) {}

  /**
   * Keeps real storage: drops pseudo types and empty mounts, and reports a volume mounted several
   * times (bind mounts, a container's {@code /etc/hosts}) once, at its shortest mount point. Sorted
   * by mount point.
   */
  static List<FilesystemUsage> filesystems(List<Mount> mounts) {
    List<Mount> sorted = new ArrayList<>(mounts);
    sorted.sort(
        Comparator.comparingInt((Mount m) -> m.mount().length()).thenComparing(Mount::mount));
    Set<String> seenVolumes = new HashSet<>();
    List<FilesystemUsage> out = new ArrayList<>();
    for (Mount m : sorted) {
      String type = m.type() == null ? "" : m.type();
      if (m.mount() == null || m.mount().isEmpty() || m.totalBytes() <= 0) {
        continue;
      }
      if (PSEUDO_TYPES.contains(type) || m.mount().length() > 512 || type.length() > 64) {
        continue;
      }
      String volume = m.volume() == null || m.volume().isEmpty() ? m.mount() : m.volume();
      if (!seenVolumes.add(volume)) {
        continue;
      }
      long used = Math.max(0, m.totalBytes() - Math.max(0, m.freeBytes()));
      out.add(new FilesystemUsage(m.mount(), type.isEmpty() ? null : type, m.totalBytes(), used));
    }
    out.sort(Comparator.comparing(FilesystemUsage::mount));
    return out.size() > MAX_ENTRIES ? out.subList(0, MAX_ENTRIES) : out;
  }

  /** A load average, or null where the OS reports none (OSHI gives a negative number then). */
  static Double load(double[] loads, int i) {
    if (loads == null || loads.length <= i || !(loads[i] >= 0) || Double.isInfinite(loads[i])) {
      return null;
    }
    return loads[i];
  }
}
