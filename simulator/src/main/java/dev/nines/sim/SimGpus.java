package dev.nines.sim;

import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuSection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The simulated GPUs of one server: their temperatures (the only state with memory) and the step
 * of the {@link GpuModel} at each read. Thread-safe.
 */
final class SimGpus {
  static final String DRIVER_VERSION = "sim-550.54.15";

  private final List<String> uuids;
  private final double[] temperatureC;
  private long lastStepMs;
  private double lastLoad;

  SimGpus(String identity, int count, long startMs) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(uuidFor(identity, i));
    }
    this.uuids = List.copyOf(ids);
    this.temperatureC = new double[count];
    java.util.Arrays.fill(temperatureC, GpuModel.IDLE_C);
    this.lastStepMs = startMs;
  }

  /** A UUID in NVML's shape that stays the same for the same server identity and index. */
  static String uuidFor(String identity, int index) {
    return "GPU-" + UUID.nameUUIDFromBytes(
        ("nines-sim:" + identity + ":" + index).getBytes(StandardCharsets.UTF_8));
  }

  int count() {
    return uuids.size();
  }

  /** What one GPU looks like at a read. */
  record Reading(
      int index,
      String uuid,
      boolean lost,
      boolean hot,
      double load,
      double utilRatio,
      double temperatureC,
      long eccUncorrectedVolatile) {}

  /** Steps the model to {@code nowMs} under the load measured since the last read. */
  synchronized List<Reading> read(long nowMs, LoadMeter meter, FaultBook book) {
    double load = nowMs > lastStepMs ? meter.takeAverage(nowMs) : lastLoad;
    double elapsedS = Math.max(0, nowMs - lastStepMs) / 1000.0;
    List<Reading> out = new ArrayList<>();
    for (int i = 0; i < uuids.size(); i++) {
      boolean hot = book.hot(i, nowMs);
      boolean lost = book.lost(i, nowMs);
      // Tensor-parallel shards are not perfectly even: later GPUs run a little cooler.
      double util = lost ? 0.0 : GpuModel.utilisation(load) * (1.0 - 0.03 * (i % 3));
      temperatureC[i] = GpuModel.nextTemperatureC(temperatureC[i], elapsedS, util, hot);
      out.add(new Reading(i, uuids.get(i), lost, hot, load, util, temperatureC[i],
          book.eccErrors(i, nowMs)));
    }
    if (nowMs > lastStepMs) {
      lastStepMs = nowMs;
      lastLoad = load;
    }
    return out;
  }

  /** The GPU section an agent would report, with the XID events pending in {@code book}. */
  static GpuSection section(List<Reading> readings, FaultBook book) {
    if (readings.isEmpty()) {
      return GpuSection.unavailable("sim", "this simulated server has no GPUs (--gpus 0)");
    }
    List<GpuMetrics> gpus = new ArrayList<>();
    for (Reading r : readings) {
      if (r.lost()) {
        continue;
      }
      List<GpuMetrics.XidEvent> xids = book.xidsFor(r.index()).stream()
          .map(x -> new GpuMetrics.XidEvent(x.xid(), x.atMs()))
          .toList();
      gpus.add(GpuModel.metrics(r.index(), r.uuid(), r.load(), r.utilRatio(), r.temperatureC(),
          r.hot(), r.eccUncorrectedVolatile(), xids));
    }
    return new GpuSection(true, null, "sim", DRIVER_VERSION, gpus);
  }
}
