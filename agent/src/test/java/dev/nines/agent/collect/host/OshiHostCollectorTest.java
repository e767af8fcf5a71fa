package dev.nines.agent.collect.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.agent.ship.MutableClock;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.HostMetrics.FilesystemUsage;
import dev.nines.protocol.HostMetrics.NetworkRates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Compares what the collector reports with this machine's own /proc files, parsed here
 * independently of the production parser.
 */
class OshiHostCollectorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

  @Test
  void memoryMatchesProcMeminfo() throws IOException {
    OshiHostCollector collector = new OshiHostCollector(clock);
    Map<String, Long> before = meminfoBytes();
    HostMetrics m = collector.collect();
    Map<String, Long> after = meminfoBytes();

    assertThat(m.memoryTotalBytes()).isEqualTo(before.get("MemTotal"));
    long tolerance = before.get("MemTotal") / 20; // other processes move it; 5 %
    long low = Math.min(before.get("MemAvailable"), after.get("MemAvailable")) - tolerance;
    long high = Math.max(before.get("MemAvailable"), after.get("MemAvailable")) + tolerance;
    assertThat(m.memoryAvailableBytes()).isBetween(low, high);
    assertThat(m.swapTotalBytes()).isEqualTo(before.get("SwapTotal"));
  }

  @Test
  void cpuRatioMatchesProcStatOverTheSameInterval() throws IOException {
    OshiHostCollector collector = new OshiHostCollector(clock);
    HostMetrics first = collector.collect();
    assertThat(first.cpuUtilRatio()).as("no interval yet").isNull();

    long[] statBefore = procStatCpu();
    collector.collect();
    burnCpu(Duration.ofMillis(900)); // longer than OSHI's 300 ms tick cache
    clock.advance(Duration.ofSeconds(1));
    HostMetrics second = collector.collect();
    long[] statAfter = procStatCpu();

    double expected = busyRatio(statBefore, statAfter);
    assertThat(second.cpuUtilRatio()).isNotNull();
    assertThat(second.cpuUtilRatio()).isCloseTo(expected, within(0.15));
    System.out.printf(
        "cpu ratio: collector %.3f, /proc/stat around it %.3f%n", second.cpuUtilRatio(), expected);
  }

  @Test
  void cpuCountMatchesProcStat() throws IOException {
    long cpus =
        Files.readAllLines(Path.of("/proc/stat")).stream()
            .filter(l -> l.matches("^cpu\\d+\\s.*"))
            .count();
    assertThat(new OshiHostCollector(clock).collect().cpuCount()).isEqualTo((int) cpus);
  }

  @Test
  void loadAndUptimeAreReported() throws IOException {
    HostMetrics m = new OshiHostCollector(clock).collect();
    String[] loadavg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    assertThat(m.load1()).isNotNull().isCloseTo(Double.parseDouble(loadavg[0]), within(2.0));
    assertThat(m.load15()).isNotNull();
    double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
    assertThat((double) m.uptimeSeconds()).isCloseTo(uptime, within(5.0));
  }

  @Test
  void rootFileSystemIsReportedWithItsSize() throws IOException {
    HostMetrics m = new OshiHostCollector(clock).collect();
    var root = Files.getFileStore(Path.of("/"));
    assertThat(m.filesystems()).extracting(FilesystemUsage::mount).contains("/").doesNotHaveDuplicates();
    FilesystemUsage fs =
        m.filesystems().stream().filter(f -> f.mount().equals("/")).findFirst().orElseThrow();
    assertThat(fs.totalBytes()).isEqualTo(root.getTotalSpace());
    assertThat(fs.usedBytes()).isBetween(0L, fs.totalBytes());
    assertThat(m.filesystems())
        .extracting(FilesystemUsage::type)
        .doesNotContain("proc", "sysfs", "tmpfs", "devtmpfs", "cgroup", "cgroup2");
  }

  @Test
  void interfaceNamesMatchProcNetDevAndFirstSampleHasNoRates() throws IOException {
    HostMetrics m = new OshiHostCollector(clock).collect();
    assertThat(m.network().stream().map(NetworkRates::name).collect(Collectors.toSet()))
        .isEqualTo(procNetDev().keySet());
    assertThat(m.network())
        .allSatisfy(
            n -> {
              assertThat(n.rxBytesPerSecond()).isNull();
              assertThat(n.txBytesPerSecond()).isNull();
              assertThat(n.rxErrorsPerSecond()).isNull();
              assertThat(n.txErrorsPerSecond()).isNull();
            });
  }

  @Test
  void loopbackRateCoversTrafficSentBetweenTwoCollections() throws Exception {
    OshiHostCollector collector = new OshiHostCollector(clock);
    // /proc is read outside the collector's two reads, so that other loopback traffic on the
    // machine can only widen our window, never the collector's.
    long loRxBefore = procNetDev().get("lo")[0];
    collector.collect();

    long sent = sendOverLoopback(32L << 20);
    Duration elapsed = Duration.ofMillis(2_500);
    clock.advance(elapsed);
    HostMetrics m = collector.collect();
    long loRxAfter = procNetDev().get("lo")[0];

    NetworkRates lo =
        m.network().stream().filter(n -> n.name().equals("lo")).findFirst().orElseThrow();
    double reportedBytes = lo.rxBytesPerSecond() * (elapsed.toNanos() / 1e9);
    assertThat(reportedBytes).isGreaterThanOrEqualTo((double) sent);
    assertThat(reportedBytes).isLessThanOrEqualTo((double) (loRxAfter - loRxBefore));
    assertThat(lo.txBytesPerSecond()).isGreaterThanOrEqualTo(sent / 2.5);
    assertThat(lo.rxErrorsPerSecond()).isNotNull().isGreaterThanOrEqualTo(0.0);
  }

  /** Sends {@code bytes} over a loopback TCP connection and returns the count the peer read. */
  private static long sendOverLoopback(long bytes) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Future<Long> received =
          pool.submit(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buf = new byte[64 << 10];
                  long total = 0;
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                  }
                  return total;
                }
              });
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          OutputStream out = client.getOutputStream()) {
        byte[] chunk = new byte[64 << 10];
        for (long done = 0; done < bytes; done += chunk.length) {
          out.write(chunk);
        }
      }
      long got = received.get(30, TimeUnit.SECONDS);
      assertThat(got).isEqualTo(bytes);
      return got;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void burnCpu(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x * 31 + 7);
    }
    if (x == 42) {
      System.out.println(x); // keeps the loop from being optimised away
    }
  }

  /** MemTotal and friends from /proc/meminfo, in bytes. */
  private static Map<String, Long> meminfoBytes() throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      String[] parts = line.split(":\\s+|\\s+");
      if (parts.length >= 2) {
        long v = Long.parseLong(parts[1]);
        out.put(parts[0], line.endsWith("kB") ? v * 1024 : v);
      }
    }
    return out;
  }

  /** The aggregate "cpu" line's first eight fields: user nice system idle iowait irq softirq steal. */
  private static long[] procStatCpu() throws IOException {
    String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
    assertThat(line).startsWith("cpu ");
    String[] f = line.trim().split("\\s+");
    long[] t = new long[8];
    for (int i = 0; i < 8; i++) {
      t[i] = Long.parseLong(f[i + 1]);
    }
    return t;
  }

  private static double busyRatio(long[] a, long[] b) {
    long total = 0;
    for (int i = 0; i < 8; i++) {
      total += b[i] - a[i];
    }
    long idle = (b[3] - a[3]) + (b[4] - a[4]);
    return (double) (total - idle) / total;
  }

  /** Interface name -> {rx bytes, rx errs, tx bytes, tx errs}, from /proc/net/dev. */
  private static Map<String, long[]> procNetDev() throws IOException {
    Map<String, long[]> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
      String[] halves = line.split(":", 2);
      if (halves.length < 2 || halves[0].contains("|")) {
        continue;
      }
      String[] f = halves[1].trim().split("\\s+");
      String name = halves[0].trim();
      out.put(
          name,
          new long[] {
            Long.parseLong(f[0]), Long.parseLong(f[2]), Long.parseLong(f[8]), Long.parseLong(f[10])
          });
    }
    return out;
  }
}
