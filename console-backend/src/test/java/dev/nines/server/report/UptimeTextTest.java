package dev.nines.server.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UptimeTextTest {
  @Test
  void fixedWritesWhatTheFormatterWrites() {
    double[] edges = {
      0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 99.9995, 99.99949999, -0.04, -0.05, -1.25, 1e-7, 123456789.123456,
      1e20, 4.35, 0.0005, 99.7685185185, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE, 714.2857142857143
    };
    for (double v : edges) {
      for (int d = 0; d <= 3; d++) {
        assertThat(UptimeText.fixed(v, d)).as("%s with %d decimals", v, d)
            .isEqualTo(String.format(Locale.ROOT, "%." + d + "f", v));
      }
    }
    Random random = new Random(5);
    for (int k = 0; k < 100_000; k++) {
      double v =
          switch (k % 4) {
            case 0 -> random.nextDouble() * 100;
            case 1 -> Math.round(random.nextDouble() * 1e6) / 1000.0;
            case 2 -> 100 - random.nextDouble() * 1e-3;
            default -> (random.nextDouble() - 0.5) * 1e4;
          };
      int d = k % 2 == 0 ? 1 : 3;
      assertThat(UptimeText.fixed(v, d)).as("%s with %d decimals", v, d)
          .isEqualTo(String.format(Locale.ROOT, "%." + d + "f", v));
    }
  }

  @Test
  void percentagesAndMinutesReadAsBefore() {
    assertThat(UptimeText.pct(0.99769)).isEqualTo("99.769 %");
    assertThat(UptimeText.pct(null)).isEqualTo("-");
    assertThat(UptimeText.minutes(360.0)).isEqualTo("360.0");
    assertThat(UptimeText.minutes(null)).isEqualTo("-");
  }

  @Test
  void secondWritesWhatTheFormatterWrites() {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    long[] edges = {
      0, -1, 999, 1000, -86_400_000L, Instant.parse("2026-11-02T02:02:00Z").toEpochMilli(),
      Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(), Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli(),
      Instant.parse("0000-01-01T00:00:00Z").toEpochMilli(), Instant.parse("-0001-12-31T23:59:59Z").toEpochMilli()
    };
    for (long ms : edges) {
      assertThat(UptimeText.second(ms)).as("%d", ms).isEqualTo(f.format(Instant.ofEpochMilli(ms)));
    }
    Random random = new Random(7);
    for (int k = 0; k < 100_000; k++) {
      long ms = (long) ((random.nextDouble() - 0.2) * 4e12);
      assertThat(UptimeText.second(ms)).as("%d", ms).isEqualTo(f.format(Instant.ofEpochMilli(ms)));
    }
  }
}
