package dev.nines.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random report sequences, seeded so that a failure replays: the host never changes state faster
 * than the hysteresis allows, and every change is explained by the evaluations before it.
 */
class HysteresisPropertyTest {
  private static final int SEQUENCES = 300;
  private static final int STEPS = 150;

  @Test
  void randomSequencesNeverFlapFasterThanTheHysteresisAllows() {
    long seed = 20240301L;
    Random random = new Random(seed);
    int changesSeen = 0;
    int improvementsSeen = 0;
    int worseningsSeen = 0;
    for (int sequence = 0; sequence < SEQUENCES; sequence++) {
      int failAfter = 1 + random.nextInt(4);
      int recoverAfter = 1 + random.nextInt(5);
      boolean hardFaults = random.nextBoolean();
      HostSim h = new HostSim();
      h.rules = HealthRules.defaults().toBuilder().failAfter(failAfter).recoverAfter(recoverAfter).build();
      h.pool = PoolContext.ofMemberP95s(List.of(100.0, 100.0, 100.0), 3);
      List<Health> raws = new ArrayList<>(); // the worst finding of each report evaluation
      int evaluations = 0;
      int lastChangeAt = 0;
      String where = "seed " + seed + ", sequence " + sequence + ", failAfter " + failAfter + ", recoverAfter " + recoverAfter;
      for (int step = 0; step < STEPS; step++) {
        Health before = h.health();
        Judgement j;
        boolean stale = hardFaults && random.nextInt(40) == 0;
        if (stale) {
          j = h.silence(Duration.ofSeconds(20 + random.nextInt(120)));
        } else {
          randomise(h, random, hardFaults);
          j = h.report();
          evaluations++;
          raws.add(worst(j.findings()));
        }
        Health after = j.health();
        if (j.change().isEmpty()) {
          assertThat(after).as(where).isEqualTo(before);
          continue;
        }
        HealthChange c = j.change().get();
        assertThat(c.from()).as(where).isEqualTo(before);
        assertThat(c.to()).as(where).isEqualTo(after).isNotEqualTo(before);
        assertThat(c.at()).as(where).isEqualTo(h.now);
        changesSeen++;
        int sinceLastChange = evaluations - lastChangeAt;
        lastChangeAt = evaluations;
        if (stale || before == Health.UNKNOWN) {
          continue; // staleness acts at once; leaving UNKNOWN is immediate by design
        }
        if (after.isBetterThan(before)) {
          improvementsSeen++;
          assertThat(sinceLastChange).as(where + ": evaluations between changes").isGreaterThanOrEqualTo(recoverAfter);
          List<Health> streak = raws.subList(raws.size() - recoverAfter, raws.size());
          assertThat(streak).as(where).allMatch(r -> r.isBetterThan(before));
          assertThat(after).as(where).isEqualTo(streak.stream().reduce(Health.HEALTHY, Health::worst));
        } else {
          worseningsSeen++;
          boolean immediate =
              j.findings().stream().anyMatch(f -> f.immediate() && f.health().isWorseThan(before));
          if (!immediate) {
            assertThat(sinceLastChange).as(where).isGreaterThanOrEqualTo(failAfter);
            List<Health> streak = raws.subList(raws.size() - failAfter, raws.size());
            assertThat(streak).as(where).allMatch(r -> r.isWorseThan(before));
            assertThat(after).as(where).isEqualTo(streak.stream().reduce(Health.UNHEALTHY, Health::best));
          }
          // every worsening names its causes, and the worst of them is the new state
          assertThat(c.findings()).as(where).isNotEmpty();
          assertThat(c.findings().stream().anyMatch(f -> f.health() == after || after.isBetterThan(f.health())))
              .as(where).isTrue();
        }
      }
    }
    // the generator must exercise the judge, or the test proves nothing
    assertThat(changesSeen).isGreaterThan(SEQUENCES);
    assertThat(improvementsSeen).isGreaterThan(SEQUENCES / 2);
    assertThat(worseningsSeen).isGreaterThan(SEQUENCES / 2);
  }

  private static Health worst(List<RuleFinding> findings) {
    Health w = Health.HEALTHY;
    for (RuleFinding f : findings) {
      w = Health.worst(w, f.health());
    }
    return w;
  }

  /** Conditions that come and go, biased towards flapping around the thresholds. */
  private static void randomise(HostSim h, Random r, boolean hardFaults) {
    double[] temps = {60, 84, 86, 94, 96};
    h.gpu(0).temperatureC = temps[r.nextInt(temps.length)];
    h.memoryAvailableBytes = r.nextInt(4) == 0 ? h.memoryTotalBytes / 50 : h.memoryTotalBytes / 2;
    h.requests = 50 + r.nextInt(100);
    h.errors = r.nextInt(5) == 0 ? r.nextInt((int) h.requests / 2) : 0;
    h.p95Ms = r.nextInt(3) == 0 ? 400.0 : 100.0;
    h.generationOk = r.nextInt(3) != 0;
    h.generationTimedOut = r.nextBoolean();
    if (hardFaults) {
      if (r.nextInt(25) == 0) {
        h.gpu(1).ecc++;
      }
      if (r.nextInt(25) == 0) {
        h.gpu(1).xidsNextReport.add(r.nextBoolean() ? 79L : 13L);
      }
    }
  }
}
