package dev.nines.protocol;

import java.util.List;

/**
 * Host figures over one interval. Nullable fields mean "not available" (first interval, or not
 * offered by this operating system), never zero.
 *
 * @param cpuUtilRatio CPU busy time over the interval, 0..1, from ticks; null on the first sample
 * @param cpuCount logical processors
 * @param load1 1-minute load average, null where unavailable
 * @param load5 5-minute load average, null where unavailable
 * @param load15 15-minute load average, null where unavailable
 * @param memoryTotalBytes physical memory
 * @param memoryAvailableBytes memory available for new work (MemAvailable)
 * @param swapTotalBytes swap space
 * @param swapUsedBytes swap in use
 * @param uptimeSeconds seconds since boot
 * @param filesystems mounted file systems
 * @param network interfaces with their rates
 */
public record HostMetrics(
    Double cpuUtilRatio,
    int cpuCount,
    Double load1,
    Double load5,
    Double load15,
    long memoryTotalBytes,
    long memoryAvailableBytes,
    long swapTotalBytes,
    long swapUsedBytes,
    long uptimeSeconds,
    List<FilesystemUsage> filesystems,
    List<NetworkRates> network) {

  public HostMetrics {
    Check.ratio("cpuUtilRatio", cpuUtilRatio);
    Check.nonNegative("cpuCount", cpuCount);
    Check.nonNegative("load1", load1);
    Check.nonNegative("load5", load5);
    Check.nonNegative("load15", load15);
    Check.nonNegative("memoryTotalBytes", memoryTotalBytes);
    Check.nonNegative("memoryAvailableBytes", memoryAvailableBytes);
    if (memoryAvailableBytes > memoryTotalBytes) {
      throw new IllegalArgumentException(
          "memoryAvailableBytes (" + memoryAvailableBytes + ") exceeds memoryTotalBytes ("
              + memoryTotalBytes + ")");
    }
    Check.nonNegative("swapTotalBytes", swapTotalBytes);
    Check.nonNegative("swapUsedBytes", swapUsedBytes);
    Check.nonNegative("uptimeSeconds", uptimeSeconds);
    filesystems = Check.list("filesystems", filesystems, 256);
    network = Check.list("network", network, 256);
  }

  /** Used memory as a ratio of total, or null when the total is unknown. */
  public Double memoryUsedRatio() {
    return memoryTotalBytes == 0
        ? null
        : (double) (memoryTotalBytes - memoryAvailableBytes) / memoryTotalBytes;
  }

  /**
   * One mounted file system.
   *
   * @param mount mount point
   * @param type file system type
   * @param totalBytes size
   * @param usedBytes space in use
   */
  public record FilesystemUsage(String mount, String type, long totalBytes, long usedBytes) {
    public FilesystemUsage {
      Check.text("filesystems.mount", mount, 512);
      Check.optionalText("filesystems.type", type, 64);
      Check.nonNegative("filesystems.totalBytes", totalBytes);
      Check.nonNegative("filesystems.usedBytes", usedBytes);
    }
  }

  /**
   * One network interface's rates over the interval; rates are null on the first sample.
   *
   * @param name interface name
   * @param rxBytesPerSecond bytes received per second
   * @param txBytesPerSecond bytes sent per second
   * @param rxErrorsPerSecond receive errors per second
   * @param txErrorsPerSecond send errors per second
   */
  public record NetworkRates(
      String name,
      Double rxBytesPerSecond,
      Double txBytesPerSecond,
      Double rxErrorsPerSecond,
      Double txErrorsPerSecond) {
    public NetworkRates {
      Check.text("network.name", name, 64);
      Check.nonNegative("network.rxBytesPerSecond", rxBytesPerSecond);
      Check.nonNegative("network.txBytesPerSecond", txBytesPerSecond);
      Check.nonNegative("network.rxErrorsPerSecond", rxErrorsPerSecond);
      Check.nonNegative("network.txErrorsPerSecond", txErrorsPerSecond);
    }
  }
}
