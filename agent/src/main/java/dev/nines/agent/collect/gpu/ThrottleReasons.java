package dev.nines.agent.collect.gpu;

import java.util.ArrayList;
import java.util.List;

/** Names of the bits of NVML's clock-throttle reason mask ({@code nvmlClocksThrottleReason*}). */
final class ThrottleReasons {
  private static final long[] BITS = {
    0x1L, 0x2L, 0x4L, 0x8L, 0x10L, 0x20L, 0x40L, 0x80L, 0x100L,
  };
  private static final String[] NAMES = {
    "gpu_idle",
    "applications_clocks_setting",
    "sw_power_cap",
    "hw_slowdown",
    "sync_boost",
    "sw_thermal_slowdown",
    "hw_thermal_slowdown",
    "hw_power_brake_slowdown",
    "display_clock_setting",
  };

  private ThrottleReasons() {}

  /**
   * The names of the known bits set in {@code mask}, lowest bit first. Bits NVML may add later
   * have no name here; they stay visible in the raw mask.
   */
  static List<String> names(long mask) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < BITS.length; i++) {
      if ((mask & BITS[i]) != 0) {
        out.add(NAMES[i]);
      }
    }
    return List.copyOf(out);
  }
}
