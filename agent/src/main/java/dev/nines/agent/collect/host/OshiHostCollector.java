package dev.nines.agent.collect.host;

import dev.nines.protocol.HostMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host figures from OSHI. The OSHI objects are created once and reused, and nothing expensive
 * (process lists, hardware names, sensors) is touched: a cycle costs a few reads of /proc.
 *
 * <p>Network counters come from {@code /proc/net/dev} where it exists, because it lists every
 * interface (also those without an address, which OSHI's list, built on {@link
 * java.net.NetworkInterface}, leaves out) and costs one read; elsewhere from OSHI.
 */
public final class OshiHostCollector implements HostCollector {
  private static final Logger LOG = LoggerFactory.getLogger(OshiHostCollector.class);
  private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

  /**
   * How often the list of mounts is read again. Listing mounts costs ~6 ms here (OSHI reads the
   * mount table and resolves labels and UUIDs); refreshing the sizes of known mounts costs ~0.1 ms.
   */
  static final Duration MOUNT_LIST_REFRESH = Duration.ofSeconds(60);

  private final Clock clock;
  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final VirtualMemory swap;
  private final OperatingSystem os;
  private final FileSystem fileSystem;
  private final HardwareAbstractionLayer hardware;
  private final boolean procNetDev;

  private long[] prevTicks;
  private Map<String, NetCounters> prevNet;
  private Instant prevAt;
  private List<OSFileStore> fileStores;
  private Instant fileStoresAt;

  public OshiHostCollector(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    SystemInfo si = new SystemInfo();
    this.hardware = si.getHardware();
    this.os = si.getOperatingSystem();
    this.processor = hardware.getProcessor();
    this.memory = hardware.getMemory();
    this.swap = memory.getVirtualMemory();
    this.fileSystem = os.getFileSystem();
    this.procNetDev = Files.isReadable(PROC_NET_DEV);
  }

  @Override
  public HostMetrics collect() {
    Instant now = clock.instant();
    long[] ticks = processor.getSystemCpuLoadTicks();
    Map<String, NetCounters> net = readNetCounters();
    double[] loads = processor.getSystemLoadAverage(3);

    Duration elapsed = prevAt == null ? null : Duration.between(prevAt, now);
    Double cpu = HostMath.cpuRatio(prevTicks, ticks);
    var rates = HostMath.networkRates(prevNet, net, elapsed);
    prevTicks = ticks;
    prevNet = net;
    prevAt = now;

    long total = Math.max(0, memory.getTotal());
    long available = Math.min(total, Math.max(0, memory.getAvailable()));
    return new HostMetrics(
        cpu,
        processor.getLogicalProcessorCount(),
        HostMath.load(loads, 0),
        HostMath.load(loads, 1),
        HostMath.load(loads, 2),
        total,
        available,
        Math.max(0, swap.getSwapTotal()),
        Math.max(0, swap.getSwapUsed()),
        Math.max(0, os.getSystemUptime()),
        HostMath.filesystems(readMounts(now)),
        rates);
  }

  private List<HostMath.Mount> readMounts(Instant now) {
    boolean refresh =
        fileStores == null
            || now.isBefore(fileStoresAt)
            || !now.isBefore(fileStoresAt.plus(MOUNT_LIST_REFRESH));
    if (refresh) {
      fileStores = fileSystem.getFileStores(true);
      fileStoresAt = now;
    }
    List<HostMath.Mount> mounts = new ArrayList<>();
    for (OSFileStore fs : fileStores) {
      if (!refresh && !fs.updateAttributes()) {
        continue; // unmounted since the list was read
      }
      mounts.add(
          new HostMath.Mount(
              fs.getMount(), fs.getVolume(), fs.getType(), fs.getTotalSpace(), fs.getFreeSpace()));
    }
    return mounts;
  }

  private Map<String, NetCounters> readNetCounters() {
    if (procNetDev) {
      try {
        return HostMath.parseProcNetDev(Files.readString(PROC_NET_DEV));
      } catch (IOException | RuntimeException e) {
        LOG.debug("Could not read {}, using OSHI's interface list", PROC_NET_DEV, e);
      }
    }
    Map<String, NetCounters> out = new LinkedHashMap<>();
    for (NetworkIF nif : hardware.getNetworkIFs(true)) {
      out.put(
          nif.getName(),
          new NetCounters(
              nif.getBytesRecv(), nif.getBytesSent(), nif.getInErrors(), nif.getOutErrors()));
    }
    return out;
  }
}
