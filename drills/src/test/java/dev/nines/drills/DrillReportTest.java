package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DrillReportTest {
  @Test
  void printsOneLineWithFailuresStopRoutingAndPercentilesBeforeAndAfter() {
    DrillReport r = new DrillReport("gray-failure", "haproxy-alone", 0, 3000, OptionalDouble.empty(),
        OptionalDouble.of(31.4), OptionalDouble.of(301.2), OptionalDouble.of(40.6), OptionalDouble.of(310),
        "taken out: never");

    assertThat(r.line()).isEqualTo("DRILL gray-failure haproxy-alone: failed 0/3000, stop-routing n/a,"
        + " p50 31/301 ms, p99 41/310 ms, taken out: never");
  }

  @Test
  void showsSecondsToStopRoutingAndDashesForMissingFigures() {
    DrillReport r = new DrillReport("drain", "haproxy-alone", 2, 4000, OptionalDouble.of(0.04),
        OptionalDouble.of(30), OptionalDouble.empty(), OptionalDouble.of(45), OptionalDouble.empty(), "");

    assertThat(r.line()).isEqualTo(
        "DRILL drain haproxy-alone: failed 2/4000, stop-routing 0.04 s, p50 30/- ms, p99 45/- ms");
  }

  @Test
  void refusesMoreFailuresThanRequests() {
    assertThatThrownBy(() -> new DrillReport("d", "v", 5, 4, OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), ""))
        .hasMessageContaining("failed");
  }
}
