package dev.nines.agent.collect.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleReasonsTest {
  @Test
  void namesEveryKnownBitLowestFirst() {
    assertThat(ThrottleReasons.names(0x1FFL))
        .containsExactly(
            "gpu_idle",
            "applications_clocks_setting",
            "sw_power_cap",
            "hw_slowdown",
            "sync_boost",
            "sw_thermal_slowdown",
            "hw_thermal_slowdown",
            "hw_power_brake_slowdown",
            "display_clock_setting");
  }

  @Test
  void unknownBitsHaveNoNameAndAnEmptyMaskHasNone() {
    assertThat(ThrottleReasons.names(0L)).isEmpty();
    assertThat(ThrottleReasons.names(0x200L | (1L << 40) | Long.MIN_VALUE)).isEmpty();
    assertThat(ThrottleReasons.names(0x8L | (1L << 63))).containsExactly("hw_slowdown");
  }
}
