package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultBookTest {
  static final int GPUS = 2;

  @Test
  void slowAndErrorsCombineAndNoneClearsEverything() {
    FaultBook b = FaultBook.EMPTY
        .apply(Fault.slow(100), 0, GPUS)
        .apply(Fault.errors(0.2), 0, GPUS)
        .apply(Fault.gpuEcc(0, 2), 0, GPUS)
        .apply(Fault.gpuXid(1, 48), 0, GPUS);

    assertThat(b.extraLatencyMs(1)).isEqualTo(100);
    assertThat(b.errorRate(1)).isEqualTo(0.2);
    assertThat(b.eccErrors(0, 1)).isEqualTo(2);
    assertThat(b.xidsFor(1)).hasSize(1);

    FaultBook cleared = b.apply(Fault.none(), 2, GPUS);
    assertThat(cleared).isEqualTo(FaultBook.EMPTY);
  }

  @Test
  void aNewFaultOfTheSameKindReplacesTheOldButEccAddsUp() {
    FaultBook b = FaultBook.EMPTY
        .apply(Fault.slow(100), 0, GPUS)
        .apply(Fault.slow(30), 1, GPUS)
        .apply(Fault.gpuEcc(1, 1), 1, GPUS)
        .apply(Fault.gpuEcc(1, 4), 1, GPUS);

    assertThat(b.extraLatencyMs(2)).isEqualTo(30);
    assertThat(b.eccErrors(1, 2)).isEqualTo(5);
    assertThat(b.active()).hasSize(3);
  }

  @Test
  void faultsExpireAtTheirDurationWithoutATimer() {
    FaultBook b = FaultBook.EMPTY
        .apply(Fault.hang().withDurationMs(1_000), 10_000, GPUS)
        .apply(Fault.down().withDurationMs(5_000), 10_000, GPUS)
        .apply(Fault.gpuHot(null), 10_000, GPUS);

    assertThat(b.hang(10_999)).isTrue();
    assertThat(b.hang(11_000)).isFalse();
    assertThat(b.down(14_999)).isTrue();
    assertThat(b.down(15_000)).isFalse();
    assertThat(b.hot(1, 99_999_999)).isTrue();
    assertThat(b.nextExpiryAfter(10_000)).hasValue(11_000);
    assertThat(b.nextExpiryAfter(11_000)).hasValue(15_000);
    assertThat(b.prune(15_000).active()).hasSize(1);
  }

  @Test
  void gpuFaultsTargetOneGpuOrAll() {
    FaultBook b = FaultBook.EMPTY
        .apply(Fault.gpuLost(1), 0, GPUS)
        .apply(Fault.gpuXid(null, 79), 0, GPUS);

    assertThat(b.lost(0, 0)).isFalse();
    assertThat(b.lost(1, 0)).isTrue();
    assertThat(b.xidsFor(0)).hasSize(1);
    assertThat(b.xidsFor(1)).hasSize(1);
    assertThat(b.withoutXids().pendingXids()).isEmpty();
  }
}
