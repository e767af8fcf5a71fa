package dev.nines.console.host;

import dev.nines.protocol.GpuMetrics;
import java.util.stream.Collectors;

/**
 * One GPU of the latest report, as the GPU table shows it; a null figure is "not available".
 *
 * @param xids the XID events of the last interval ({@code 79 @ 12:03:04}), empty when none
 */
public record GpuRow(
    int index, String name, Double utilRatio, Long memoryUsedBytes, Long memoryTotalBytes,
    Double temperatureC, Double powerWatts, Double powerLimitWatts, Long eccUncorrected, String xids) {
  public GpuRow {
    name = name == null ? "" : name;
    xids = xids == null ? "" : xids;
  }

  /** The row of one reported GPU. */
  static GpuRow of(GpuMetrics g) {
    String xids =
        g.xidEvents().stream()
            .map(x -> x.xid() + " @ " + Formats.time(java.time.Instant.ofEpochMilli(x.atMs())))
            .collect(Collectors.joining(", "));
    return new GpuRow(
        g.index(), g.name(), g.utilGpuRatio(), g.memoryUsedBytes(), g.memoryTotalBytes(), g.temperatureC(),
        g.powerDrawWatts(), g.powerLimitWatts(), g.eccUncorrectedVolatile(), xids);
  }
}
