package dev.nines.server.actuate;

import dev.nines.server.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nines.protocol.RoutingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The reconcile engine with in-memory actuators (the real ones are in the HAProxy and webhook tests). */
class ReconcilerTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private static final Target A = new Target("llm", "a");
  private static final Target B = new Target("llm", "b");

  /** An in-memory load balancer: holds a state per host, can be made to fail, can observe or not. */
  static final class FakeActuator implements Actuator {
    final String name;
    final boolean observes;
    final Map<Target, AdminState> held = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    volatile boolean down;
    volatile boolean throwRuntime;

    FakeActuator(String name, boolean observes) {
      this.name = name;
      this.observes = observes;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public synchronized void apply(Target target, RoutingState desired, String reason)
        throws ActuatorException {
      calls.add("apply " + target.hostId() + " " + desired);
      if (throwRuntime) {
        throw new IllegalStateException("bug in " + name);
      }
      if (down) {
        throw new ActuatorException(name + " is down");
      }
      held.put(target, AdminState.of(desired));
    }

    @Override
    public Optional<AdminState> observe(Target target) throws ActuatorException {
      if (!observes) {
        return Optional.empty();
      }
      if (down) {
        throw new ActuatorException(name + " is down");
      }
      return Optional.of(held.getOrDefault(target, AdminState.READY));
    }

    synchronized int applies() {
      return (int) calls.stream().filter(c -> c.startsWith("apply")).count();
    }
  }

  @Test
  void backsOffFromOneSecondDoublingUpToAMinute() {
    assertThat(
            List.of(1, 2, 3, 4, 5, 6, 7, 8, 100, Integer.MAX_VALUE).stream()
                .map(n -> Reconciler.backoff(n).toSeconds())
                .toList())
        .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L, 60L);
  }

  @Test
  void appliesAtOnceOnEveryActuatorOfTheTarget() {
    FakeActuator lb = new FakeActuator("lb", true);
    FakeActuator hook = new FakeActuator("hook", false);
    Reconciler r = new Reconciler(clock, List.of(lb, hook));

    r.desire(A, RoutingState.DRAINING, "slow");

    assertThat(lb.held).containsEntry(A, AdminState.DRAIN);
    assertThat(hook.held).containsEntry(A, AdminState.DRAIN);
    assertThat(r.status())
        .extracting(ActuatorStatus::actuator, ActuatorStatus::inSync, ActuatorStatus::observed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hook", true, Optional.empty()),
            org.assertj.core.groups.Tuple.tuple("lb", true, Optional.of(AdminState.DRAIN)));
    assertThat(r.applies()).isEqualTo(2);
  }

  @Test
  void recordsFailuresInsteadOfThrowingThem() {
    FakeActuator lb = new FakeActuator("lb", true);
    lb.down = true;
    FakeActuator buggy = new FakeActuator("buggy", false);
    buggy.throwRuntime = true;
    Reconciler r = new Reconciler(clock, List.of(lb, buggy));

    assertThatCode(() -> r.desire(A, RoutingState.MAINTENANCE, "xid")).doesNotThrowAnyException();
    assertThatCode(r::runOnce).doesNotThrowAnyException();

    assertThat(r.status())
        .extracting(ActuatorStatus::actuator, ActuatorStatus::lastError)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("buggy", "bug in buggy"),
            org.assertj.core.groups.Tuple.tuple("lb", "lb is down"));
    assertThat(r.failures()).isEqualTo(2);
  }

  @Test
  void retriesOnlyWhenTheBackoffHasPassedAndStopsOnceApplied() {
    FakeActuator lb = new FakeActuator("lb", true);
    lb.down = true;
    Reconciler r = new Reconciler(clock, List.of(lb));
    Instant t0 = clock.instant();
    r.desire(A, RoutingState.DRAINING, "slow");
    List<Instant> attempts = new ArrayList<>();
    attempts.add(t0);

    for (int s = 1; s <= 200; s++) {
      clock.advance(Duration.ofSeconds(1));
      int before = lb.applies();
      r.runOnce();
      if (lb.applies() > before) {
        attempts.add(clock.instant());
      }
    }

    assertThat(attempts.stream().map(i -> Duration.between(t0, i).toSeconds()).toList())
        .containsExactly(0L, 1L, 3L, 7L, 15L, 31L, 63L, 123L, 183L); // capped at 60 s
    ActuatorStatus s = r.status(A).get(0);
    assertThat(s.attempts()).isEqualTo(9);
    assertThat(s.nextAttempt()).isEqualTo(t0.plusSeconds(183 + 60));

    lb.down = false;
    clock.advance(Duration.ofSeconds(60));
    r.runOnce();
    assertThat(lb.held).containsEntry(A, AdminState.DRAIN);
    assertThat(r.status(A).get(0).inSync()).isTrue();
    int applied = lb.applies();
    clock.advance(Duration.ofMinutes(10));
    r.runOnce();
    assertThat(lb.applies()).isEqualTo(applied);
  }

  @Test
  void reappliesWhenAnObservingActuatorSeesDrift() {
    FakeActuator lb = new FakeActuator("lb", true);
    Reconciler r = new Reconciler(clock, List.of(lb));
    r.desire(A, RoutingState.DRAINED, "done");

    lb.held.put(A, AdminState.READY); // a reload put it back
    r.runOnce();

    assertThat(lb.held).containsEntry(A, AdminState.DRAIN);
    assertThat(r.driftCorrections()).isEqualTo(1);
    r.runOnce();
    assertThat(r.driftCorrections()).isEqualTo(1);
  }

  @Test
  void neverReappliesAnActuatorThatCannotObserveOnceItSucceeded() {
    FakeActuator hook = new FakeActuator("hook", false);
    Reconciler r = new Reconciler(clock, List.of(hook));
    r.desire(A, RoutingState.DRAINING, "slow");
    hook.held.clear(); // whatever happens on the other side, we cannot see it

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      r.runOnce();
    }

    assertThat(hook.applies()).isEqualTo(1);
    assertThat(r.driftCorrections()).isZero();
  }

  @Test
  void aNewDesireReplacesAPendingRetryAndIsAppliedAtOnce() {
    FakeActuator lb = new FakeActuator("lb", true);
    lb.down = true;
    Reconciler r = new Reconciler(clock, List.of(lb));
    r.desire(A, RoutingState.DRAINING, "slow");
    r.desire(A, RoutingState.DRAINING, "slow");
    r.desire(A, RoutingState.DRAINING, "slow");
    assertThat(r.status(A).get(0).attempts()).isEqualTo(1); // a desire starts a fresh series

    lb.down = false;
    r.desire(A, RoutingState.ACTIVE, "recovered");

    assertThat(lb.held).containsEntry(A, AdminState.READY);
    ActuatorStatus s = r.status(A).get(0);
    assertThat(s.desired()).isEqualTo(RoutingState.ACTIVE);
    assertThat(s.inSync()).isTrue();
    assertThat(s.nextAttempt()).isNull();
  }

  @Test
  void sendsEachTargetOnlyToTheActuatorsThatHandleIt() {
    FakeActuator all = new FakeActuator("all", true);
    Reconciler r =
        new Reconciler(clock, t -> t.hostId().equals("a") ? List.<Actuator>of(all) : List.of());

    r.desire(A, RoutingState.DRAINING, "x");
    r.desire(B, RoutingState.DRAINING, "x");

    assertThat(all.held).containsOnlyKeys(A);
    assertThat(r.status()).extracting(ActuatorStatus::target).containsExactly(A);
    r.forget(A);
    assertThat(r.status()).isEmpty();
  }

  @Test
  void concurrentDesiresEndWithTheLastOneAppliedEverywhere() throws Exception {
    FakeActuator lb = new FakeActuator("lb", true);
    Reconciler r = new Reconciler(clock, List.of(lb));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        RoutingState[] states = RoutingState.values();
        for (int t = 0; t < 4; t++) {
          RoutingState s = states[t];
          futures.add(
              pool.submit(
                  () -> {
                    go.await(5, TimeUnit.SECONDS);
                    r.desire(A, s, "race");
                    r.runOnce();
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : futures) {
          f.get(10, TimeUnit.SECONDS);
        }
        r.runOnce();
        ActuatorStatus s = r.status(A).get(0);
        assertThat(lb.held.get(A)).isEqualTo(AdminState.of(s.desired()));
        assertThat(s.inSync()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
