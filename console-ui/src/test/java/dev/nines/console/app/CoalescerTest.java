package dev.nines.console.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  final ManualTime time = new ManualTime();
  final AtomicInteger runs = new AtomicInteger();
  final Coalescer coalescer = new Coalescer(Duration.ofSeconds(1), time, time, runs::incrementAndGet);

  @Test
  void theFirstRequestAfterAQuietGapRunsAtOnce() {
    coalescer.request();
    assertThat(runs).hasValue(1);
    assertThat(coalescer.pending()).isFalse();
    time.advance(Duration.ofSeconds(5));
    coalescer.request();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aBurstWithinTheGapFoldsIntoOneRunAtItsEnd() {
    coalescer.request();
    time.advance(Duration.ofMillis(200));
    for (int i = 0; i < 1000; i++) {
      coalescer.request();
    }
    assertThat(runs).hasValue(1);
    assertThat(coalescer.pending()).isTrue();
    assertThat(time.waiting()).isEqualTo(1);
    time.advance(Duration.ofMillis(799));
    assertThat(runs).hasValue(1);
    time.advance(Duration.ofMillis(1));
    assertThat(runs).hasValue(2);
    assertThat(coalescer.runs()).isEqualTo(2);
    // the deferred run counts as the last one: the next request within a second waits again
    coalescer.request();
    assertThat(runs).hasValue(2);
    time.advance(Duration.ofSeconds(1));
    assertThat(runs).hasValue(3);
  }

  @Test
  void closedItRunsNothingMoreNotEvenTheDeferredRun() {
    coalescer.request();
    coalescer.request();
    coalescer.close();
    time.advance(Duration.ofSeconds(2));
    coalescer.request();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailingActionDoesNotStopLaterRuns() {
    AtomicInteger calls = new AtomicInteger();
    Coalescer failing = new Coalescer(Duration.ofSeconds(1), time, time, () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    });
    assertThatThrownBy(failing::request).isInstanceOf(IllegalStateException.class); // at once: the caller sees it
    failing.request();
    time.advance(Duration.ofSeconds(1)); // deferred: swallowed on the scheduler's thread
    assertThat(calls).hasValue(2);
    time.advance(Duration.ofSeconds(1));
    assertThatThrownBy(failing::request).isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(3);
  }

  @Test
  void aNegativeGapIsRefused() {
    assertThatThrownBy(() -> new Coalescer(Duration.ofSeconds(-1), time, time, () -> {}))
        .hasMessageContaining("gap");
  }
}
