package dev.nines.server.availability;

import static dev.nines.server.availability.Timelines.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestAvailabilityTest {
  // buckets at 0 (90/100), 10 (50/100), 20 (0/0), 30 (100/100)
  private static final List<RequestCount> COUNTS =
      List.of(
          new RequestCount(min(0), 90, 100),
          new RequestCount(min(10), 50, 100),
          new RequestCount(min(20), 0, 0),
          new RequestCount(min(30), 100, 100));

  @Test
  void sumsTheBucketsThatStartInsideTheHalfOpenWindow() {
    // [10, 30): buckets 10 and 20 -> 50/100; the bucket at 30 is outside.
    RequestAvailability r = Availability.requests(COUNTS, window(10, 30));
    assertThat(r.good()).isEqualTo(50);
    assertThat(r.total()).isEqualTo(100);
    assertThat(r.ratio().getAsDouble()).isEqualTo(0.5);
    // [0, 40): 240/300 = 0.8
    assertThat(Availability.requests(COUNTS, window(0, 40)).ratio().getAsDouble()).isEqualTo(0.8);
  }

  @Test
  void noRequestsMeansNotAvailable() {
    assertThat(Availability.requests(COUNTS, window(20, 30)).ratio()).isEmpty();
    assertThat(Availability.requests(List.of(), window(0, 60)).ratio()).isEmpty();
  }

  @Test
  void moreGoodThanTotalIsRefused() {
    assertThatThrownBy(() -> new RequestCount(min(0), 5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total");
  }
}
