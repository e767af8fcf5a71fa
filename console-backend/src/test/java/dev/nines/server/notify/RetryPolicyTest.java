package dev.nines.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-03T10:00:00Z");

  @Test
  void twoHundredsAreDeliveredServerErrorsTimeoutsAndThrottlingRetriedOtherStatusesPermanent() {
    assertThat(RetryPolicy.verdict(200)).isEqualTo(RetryPolicy.Verdict.DELIVERED);
    assertThat(RetryPolicy.verdict(204)).isEqualTo(RetryPolicy.Verdict.DELIVERED);
    assertThat(RetryPolicy.verdict(null)).isEqualTo(RetryPolicy.Verdict.RETRY);
    assertThat(RetryPolicy.verdict(500)).isEqualTo(RetryPolicy.Verdict.RETRY);
    assertThat(RetryPolicy.verdict(503)).isEqualTo(RetryPolicy.Verdict.RETRY);
    assertThat(RetryPolicy.verdict(408)).isEqualTo(RetryPolicy.Verdict.RETRY);
    assertThat(RetryPolicy.verdict(429)).isEqualTo(RetryPolicy.Verdict.RETRY);
    assertThat(RetryPolicy.verdict(400)).isEqualTo(RetryPolicy.Verdict.PERMANENT);
    assertThat(RetryPolicy.verdict(404)).isEqualTo(RetryPolicy.Verdict.PERMANENT);
    assertThat(RetryPolicy.verdict(301)).isEqualTo(RetryPolicy.Verdict.PERMANENT);
  }

  @Test
  void backoffIsFullJitterUnderADoublingCeilingCappedAtFiveMinutes() {
    Random r = new Random(1);
    for (int attempts = 1; attempts <= 40; attempts++) {
      long ceiling = Math.min(300_000L, attempts <= 20 ? 1000L << (attempts - 1) : Long.MAX_VALUE);
      long max = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < 2000; i++) {
        long ms = RetryPolicy.backoff(attempts, r, Optional.empty()).toMillis();
        assertThat(ms).isBetween(0L, ceiling);
        max = Math.max(max, ms);
        min = Math.min(min, ms);
      }
      assertThat(max).as("attempt %d reaches near its ceiling", attempts).isGreaterThan(ceiling * 9 / 10);
      assertThat(min).as("attempt %d goes near zero (full jitter)", attempts).isLessThan(ceiling / 10 + 1);
    }
  }

  @Test
  void retryAfterIsAFloorOnTheWait() {
    Random r = new Random(2);
    for (int i = 0; i < 1000; i++) {
      assertThat(RetryPolicy.backoff(1, r, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
      assertThat(RetryPolicy.backoff(12, r, Optional.of(Duration.ofSeconds(7))))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(RetryPolicy.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryPolicy.retryAfter(" 0 ", NOW)).contains(Duration.ZERO);
    assertThat(RetryPolicy.retryAfter("Tue, 03 Nov 2026 10:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryPolicy.retryAfter("Tue, 03 Nov 2026 09:59:00 GMT", NOW)).contains(Duration.ZERO);
    assertThat(RetryPolicy.retryAfter("soon", NOW)).isEmpty();
    assertThat(RetryPolicy.retryAfter("-5", NOW)).isEmpty();
    assertThat(RetryPolicy.retryAfter(null, NOW)).isEmpty();
  }

  @Test
  void signaturesVerifyAndATamperedBodyDoesNot() {
    byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sig = Signer.sign("k", "1700000000000", body);
    assertThat(sig).startsWith("sha256=").hasSize(7 + 64);
    assertThat(Signer.verify("k", "1700000000000", body, sig)).isTrue();
    assertThat(Signer.verify("k", "1700000000001", body, sig)).isFalse();
    assertThat(Signer.verify("other", "1700000000000", body, sig)).isFalse();
    assertThat(Signer.verify("k", "1700000000000", "{\"a\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8), sig)).isFalse();
    assertThat(sig)
        .as("the same format as the routing webhook's signature")
        .isEqualTo(dev.nines.server.actuate.WebhookActuator.sign("k", "1700000000000", "{\"a\":1}"));
  }
}
