package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimConfigTest {

  @Test
  void defaultsMatchTheCommandLine() {
    SimConfig d = SimConfig.defaults();

    assertThat(d.firstPort()).isEqualTo(8000);
    assertThat(d.controlPort()).isEqualTo(7999);
    assertThat(d.count()).isEqualTo(1);
    assertThat(d.baseLatencyMs()).isEqualTo(40);
    assertThat(d.gpusPerServer()).isEqualTo(2);
    assertThat(d.model()).isEqualTo("sim-llama-3-8b");
  }

  @Test
  void rejectsBadValuesNamingTheField() {
    assertThatThrownBy(() -> new SimConfig("", 8000, 1, 7999, 40, 2, "m", 1))
        .hasMessageContaining("bindHost");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 0, 7999, 40, 2, "m", 1))
        .hasMessageContaining("count");
    assertThatThrownBy(() -> new SimConfig("h", 65535, 2, 7999, 40, 2, "m", 1))
        .hasMessageContaining("firstPort");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 1, -2, 40, 2, "m", 1))
        .hasMessageContaining("controlPort");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 3, 8001, 40, 2, "m", 1))
        .hasMessageContaining("controlPort");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 1, 7999, -1, 2, "m", 1))
        .hasMessageContaining("baseLatencyMs");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 1, 7999, 40, 17, "m", 1))
        .hasMessageContaining("gpusPerServer");
    assertThatThrownBy(() -> new SimConfig("h", 8000, 1, 7999, 40, 2, " ", 1))
        .hasMessageContaining("model");
  }
}
