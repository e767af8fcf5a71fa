package dev.nines.sim;

import dev.nines.protocol.GpuMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The physics of a simulated GPU: pure functions of the previous state, the time elapsed and the
 * load. No clock, no randomness; {@link SimGpus} feeds them.
 *
 * <p>Load is the average number of requests in flight on the server over the interval. Utilisation
 * saturates with it ({@code 1 - e^(-load/2)}: one request keeps a GPU 40 % busy, four keep it 86 %
 * busy). Temperature moves towards {@code 35 + 40 * util} C with a 20 s time constant; a
 * {@code gpu-hot} fault (failed cooling) holds it at 96 C or more and sets the thermal-slowdown
 * throttle reasons, and it cools down along the same curve when the fault clears.
 */
final class GpuModel {
  static final String NAME = "NVIDIA H100 80GB HBM3";
  static final long MEMORY_TOTAL_BYTES = 85_899_345_920L;
  static final double WEIGHTS_SHARE = 0.60;
  static final double KV_CACHE_SHARE = 0.30;
  static final double IDLE_C = 35.0;
  static final double BUSY_C = 75.0;
  static final double HOT_C = 96.0;
  static final double TEMPERATURE_TAU_S = 20.0;
  static final double IDLE_WATTS = 70.0;
  static final double BUSY_WATTS = 650.0;
  static final double POWER_LIMIT_WATTS = 700.0;

  // NVML clock-throttle reason bits (nvmlClocksThrottleReason*).
  static final long GPU_IDLE = 0x1L;
  static final long SW_POWER_CAP = 0x4L;
  static final long SW_THERMAL_SLOWDOWN = 0x20L;
  static final long HW_THERMAL_SLOWDOWN = 0x40L;

  private GpuModel() {}

  /** Share of time a kernel runs, given the average number of requests in flight. */
  static double utilisation(double load) {
    if (!(load > 0)) {
      return 0.0;
    }
    return clamp01(1.0 - Math.exp(-load / 2.0));
  }

  /** Where the temperature settles for a utilisation, without faults. */
  static double steadyTemperatureC(double util) {
    return IDLE_C + (BUSY_C - IDLE_C) * clamp01(util);
  }

  /** Temperature after {@code elapsedS} seconds at {@code util}, starting from {@code prevC}. */
  static double nextTemperatureC(double prevC, double elapsedS, double util, boolean hot) {
    double target = steadyTemperatureC(util);
    double t = elapsedS <= 0 ? prevC : target + (prevC - target) * Math.exp(-elapsedS / TEMPERATURE_TAU_S);
    return hot ? Math.max(t, HOT_C) : t;
  }

  static double powerDrawWatts(double util, boolean hot) {
    double watts = IDLE_WATTS + (BUSY_WATTS - IDLE_WATTS) * clamp01(util);
    // A GPU in thermal slowdown runs its clocks down and draws less.
    return hot ? watts * 0.8 : watts;
  }

  static long memoryUsedBytes(double load) {
    double kv = Math.min(1.0, Math.max(0.0, load) / 32.0);
    return (long) (MEMORY_TOTAL_BYTES * (WEIGHTS_SHARE + KV_CACHE_SHARE * kv));
  }

  static long throttleReasons(double util, double powerWatts, boolean hot) {
    long mask = 0;
    if (util < 0.02 && !hot) {
      mask |= GPU_IDLE;
    }
    if (powerWatts >= 0.95 * POWER_LIMIT_WATTS) {
      mask |= SW_POWER_CAP;
    }
    if (hot) {
      mask |= SW_THERMAL_SLOWDOWN | HW_THERMAL_SLOWDOWN;
    }
    return mask;
  }

  static List<String> throttleReasonNames(long mask) {
    List<String> names = new ArrayList<>();
    if ((mask & GPU_IDLE) != 0) {
      names.add("gpu_idle");
    }
    if ((mask & SW_POWER_CAP) != 0) {
      names.add("sw_power_cap");
    }
    if ((mask & SW_THERMAL_SLOWDOWN) != 0) {
      names.add("sw_thermal_slowdown");
    }
    if ((mask & HW_THERMAL_SLOWDOWN) != 0) {
      names.add("hw_thermal_slowdown");
    }
    return names;
  }

  /** The figures of one GPU, as an NVML collector would report them. */
  static GpuMetrics metrics(
      int index,
      String uuid,
      double load,
      double util,
      double temperatureC,
      boolean hot,
      long eccUncorrected,
      List<GpuMetrics.XidEvent> xids) {
    double power = powerDrawWatts(util, hot);
    long mask = throttleReasons(util, power, hot);
    return new GpuMetrics(
        index,
        uuid,
        NAME,
        round(util, 3),
        round(clamp01(util * 0.6), 3),
        MEMORY_TOTAL_BYTES,
        memoryUsedBytes(load),
        round(temperatureC, 1),
        round(power, 1),
        POWER_LIMIT_WATTS,
        eccUncorrected,
        mask,
        throttleReasonNames(mask),
        xids);
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
