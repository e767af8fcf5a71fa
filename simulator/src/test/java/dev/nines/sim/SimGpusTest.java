package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.GpuSection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU model stepped by hand: times are plain milliseconds, no clock, no servers. */
class SimGpusTest {

  @Test
  void temperatureFollowsLoadWithALagAndCoolsDownAfterwards() {
    LoadMeter load = new LoadMeter(0);
    SimGpus gpus = new SimGpus("host:8000", 1, 0);
    load.add(0, 8);

    double after5s = gpus.read(5_000, load, FaultBook.EMPTY).get(0).temperatureC();
    double after2m = gpus.read(120_000, load, FaultBook.EMPTY).get(0).temperatureC();
    load.add(120_000, -8);
    double cooled = gpus.read(300_000, load, FaultBook.EMPTY).get(0).temperatureC();

    assertThat(after5s).isBetween(40.0, 60.0);
    assertThat(after2m).isBetween(73.0, 75.0);
    assertThat(cooled).isBetween(35.0, 36.0);
  }

  @Test
  void utilisationIsTheTimeWeightedLoadOfTheInterval() {
    LoadMeter load = new LoadMeter(0);
    SimGpus gpus = new SimGpus("h", 1, 0);
    load.add(0, 2);
    load.add(500, -2); // two requests for half of the first second: an average load of 1

    SimGpus.Reading r = gpus.read(1_000, load, FaultBook.EMPTY).get(0);

    assertThat(r.load()).isEqualTo(1.0);
    assertThat(r.utilRatio()).isEqualTo(GpuModel.utilisation(1.0));
    assertThat(gpus.read(2_000, load, FaultBook.EMPTY).get(0).utilRatio()).isZero();
  }

  @Test
  void uuidsAreStablePerServerAndIndex() {
    assertThat(SimGpus.uuidFor("h:8000", 0)).isEqualTo(SimGpus.uuidFor("h:8000", 0))
        .isNotEqualTo(SimGpus.uuidFor("h:8000", 1))
        .isNotEqualTo(SimGpus.uuidFor("h:8001", 0))
        .matches("GPU-[0-9a-f-]{36}");
  }

  @Test
  void aServerWithoutGpusSaysSoExplicitly() {
    GpuSection s = SimGpus.section(List.of(), FaultBook.EMPTY);

    assertThat(s.available()).isFalse();
    assertThat(s.unavailableReason()).contains("no GPUs");
  }

  @Test
  void powerAndThrottleReasonsFollowUtilisationAndHeat() {
    assertThat(GpuModel.powerDrawWatts(0, false)).isEqualTo(70.0);
    assertThat(GpuModel.powerDrawWatts(1, false)).isEqualTo(650.0);
    assertThat(GpuModel.throttleReasons(0, 70, false)).isEqualTo(GpuModel.GPU_IDLE);
    assertThat(GpuModel.throttleReasons(0.5, 300, false)).isZero();
    assertThat(GpuModel.throttleReasonNames(GpuModel.throttleReasons(0.5, 300, true)))
        .containsExactly("sw_thermal_slowdown", "hw_thermal_slowdown");
    assertThat(GpuModel.nextTemperatureC(35, 0, 0, true)).isEqualTo(GpuModel.HOT_C);
  }
}
