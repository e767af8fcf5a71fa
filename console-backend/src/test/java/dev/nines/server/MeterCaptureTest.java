package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each brain term registered is known (to remove it when the term ends), with one listener per registry. */
class MeterCaptureTest {
  @Test
  void eachTermCollectsOnlyWhatWasAddedWhileItWasBuiltThroughOneListenerPerRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Brain.MeterCapture capture = Brain.MeterCapture.of(registry);
    registry.counter("before");
    for (int term = 1; term <= 50; term++) {
      assertThat(Brain.MeterCapture.of(registry)).as("term %d", term).isSameAs(capture);
      List<Meter> building = capture.begin();
      registry.counter("term", "n", Integer.toString(term));
      List<Meter> added = capture.end(building);
      assertThat(added).extracting(m -> m.getId().getTag("n")).containsExactly(Integer.toString(term));
    }
    registry.counter("after");
    // two brains built at once (two servers in one process share nothing, but a registry may be shared)
    List<Meter> first = capture.begin();
    List<Meter> second = capture.begin();
    registry.counter("both");
    assertThat(capture.end(second)).hasSize(1);
    registry.counter("only-first");
    assertThat(capture.end(first)).extracting(m -> m.getId().getName()).containsExactly("both", "only-first");
    assertThat(Brain.MeterCapture.of(new SimpleMeterRegistry())).isNotSameAs(capture);
  }
}
