package dev.nines.server.availability;

import dev.nines.server.health.Health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Informal timing (no timing assertion): a 30-day window over 1,000 hosts with a state change every
 * five minutes on average. The figures go to standard output (surefire keeps them in
 * target/surefire-reports/dev.nines.server.availability.AvailabilityTimingTest-output.txt).
 */
class AvailabilityTimingTest {
  @Test
  void thirtyDaysOfAThousandHostsComputeInLinearSweeps() {
    int hosts = 1000;
    Instant now = Instant.parse("2024-05-01T00:00:00Z");
    Window month = Window.ending(now, Duration.ofDays(30));
    long fromMs = month.from().toEpochMilli();
    long toMs = now.toEpochMilli();
    Random random = new Random(7);
    List<HostTimeline> members = new ArrayList<>(hosts);
    long changes = 0;
    for (int h = 0; h < hosts; h++) {
      List<StateChange> list = new ArrayList<>(9000);
      long t = fromMs - random.nextInt(300_000);
      while (t < toMs) {
        Health health =
            random.nextInt(10) < 8 ? Health.HEALTHY : random.nextBoolean() ? Health.UNHEALTHY : Health.DEGRADED;
        list.add(new StateChange(Instant.ofEpochMilli(t), health, RoutingState.ACTIVE));
        t += 60_000 + random.nextInt(480_000);
      }
      members.add(HostTimeline.of("host-" + h, list));
      changes += members.get(h).changes().size();
    }
    DegradedPolicy policy = DegradedPolicy.weighted(0.3);
    CapacityGuard guard = CapacityGuard.fraction(0.5);
    Slo slo = new Slo(0.999, Duration.ofDays(30));

    for (int run = 1; run <= 3; run++) {
      long t0 = System.nanoTime();
      double sum = 0;
      for (HostTimeline h : members) {
        sum += Availability.host(h, month, policy).availability().getAsDouble();
      }
      long t1 = System.nanoTime();
      AvailabilityFigures pool = Availability.pool(members, List.of(), guard, month, policy);
      long t2 = System.nanoTime();
      SloStatus status =
          Availability.slo(slo, now, w -> Availability.pool(members, List.of(), guard, w, policy).availability());
      long t3 = System.nanoTime();
      System.out.printf(
          "run %d: %d hosts, %,d changes, 30 days: all hosts %d ms (mean availability %.4f), pool sweep %d ms"
              + " (availability %.6f, %d outages), pool SLO status (7 windows) %d ms; total %d ms%n",
          run,
          hosts,
          changes,
          (t1 - t0) / 1_000_000,
          sum / hosts,
          (t2 - t1) / 1_000_000,
          pool.availability().getAsDouble(),
          pool.incidentCount(),
          (t3 - t2) / 1_000_000,
          (t3 - t0) / 1_000_000);
      assertThat(pool.countedMs() + pool.excludedMs()).isEqualTo(month.lengthMs());
      assertThat(status.burnRates()).hasSize(6);
    }
  }
}
