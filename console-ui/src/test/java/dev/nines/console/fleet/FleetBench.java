package dev.nines.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.javafx.tk.TKPulseListener;
import com.sun.javafx.tk.Toolkit;
import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.Navigator;
import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.BackendClient;
import dev.nines.console.client.Host;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.WhoAmI;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On demand ({@code -Dnines.bench=true}): the real {@link FleetView} and {@link FleetViewModel} with
 * 1,000 hosts, every host reporting once a second (a synthetic source calls
 * {@link FleetViewModel#accept} as the coalesced fetch would; no backend), 1% of hosts changing health
 * each second, the table sorted by GPU temperature (re-sorted after every batch) on a shown 1280 x 800
 * stage. Measures the FX thread's share of each pulse (probe timer to the end of the scene pulse,
 * 60 Hz), the UI batch, the view-model's work off the FX thread, and the FX thread's CPU over the run.
 */
@ExtendWith(FxExtension.class)
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class FleetBench {
  static final int HOSTS = Integer.getInteger("nines.bench.hosts", 1000);

  static Host host(int i, long t) {
    double wave = Math.sin((t + i * 7) / 9.0);
    String id = String.format(Locale.ROOT, "gpu-node-%04d", i);
    String health = (t / 5 + i) % 100 == 0 ? "DEGRADED" : "HEALTHY";
    return new Host(
        id, i % 4 == 0 ? "mixtral-8x7b" : "llama-70b", Map.of(), 0, t * 1000, t, t * 1000, 500,
        new Host.Routing(i % 97 == 0 ? "DRAINED" : "ACTIVE", null, 0, null),
        new Host.Health(health, 0L, null, List.of()),
        new Host.Summary(
            0.4 + 0.3 * wave, 0.5, 4.0,
            new Host.GpuSummary(true, null, 8, 60 + 15 * wave + (i % 10), 0.6 + 0.3 * wave,
                60_000_000_000L + (long) (1e10 * wave), 141_000_000_000L, 0L),
            List.of(new Host.EndpointSummary("http://x", "vllm", true, true, 40.0, 100 + 20 * wave, 150.0,
                400L, (long) (2 + 2 * wave)))),
        null, null, List.of());
  }

  @Test
  void thousandHostsReportingEverySecond() throws Exception {
    measure(false);
  }

  /** The same load with the tiles layout ({@code -Dnines.bench.layout=tiles} runs only this one, table only: table). */
  @Test
  void thousandHostsReportingEverySecondAsTiles() throws Exception {
    measure(true);
  }

  void measure(boolean tilesLayout) throws Exception {
    String only = System.getProperty("nines.bench.layout", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(only.isEmpty() || only.equals(tilesLayout ? "tiles" : "table"));
    int seconds = Integer.getInteger("nines.bench.seconds", 30);
    int warmup = Integer.getInteger("nines.bench.warmup", 5);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] batchNanos = new long[seconds * 4 + 50];
    int[] batches = {0};
    boolean[] recording = {false};
    // the FX thread, timing each batch the view-model publishes
    UiExecutor ui = task -> Platform.runLater(() -> {
      long t0 = System.nanoTime();
      task.run();
      if (recording[0] && batches[0] < batchNanos.length) {
        batchNanos[batches[0]++] = System.nanoTime() - t0;
      }
    });
    BackendClient unused = new BackendClient(URI.create("http://127.0.0.1:9"), "bench-never-sent");
    ConsoleContext ctx =
        new ConsoleContext(unused, null, new WhoAmI("bench", WhoAmI.Role.VIEWER), ui, Runnable::run, Clock.systemUTC());
    Navigator nav = new Navigator() {
      @Override
      public void showScreen(String screenId) {}

      @Override
      public void showHost(String hostId) {}

      @Override
      public void showPool(String pool) {}
    };
    FleetViewModel vm = new FleetViewModel(ctx, nav, Scheduler.daemon("bench"));
    long[] tick = {0};
    // a few minutes of history first, so every line is full
    for (int s = 0; s < History.CAPACITY; s++) {
      vm.accept(round(tick[0]++), true);
    }
    Stage[] stage = new Stage[1];
    FleetView[] view = new FleetView[1];
    Scene scene = Fx.call(() -> {
      view[0] = new FleetView(vm);
      Scene sc = new Scene(view[0], 1280, 800);
      Themes.apply(sc, Theme.DARK);
      stage[0] = new Stage();
      stage[0].setScene(sc);
      stage[0].show();
      String sort = System.getProperty("nines.bench.sort", "GPU_TEMP");
      if (!sort.isEmpty()) {
        view[0].table().sortBy(sort, true);
      }
      view[0].setTiles(tilesLayout);
      return sc;
    });
    Fx.waitForPulses(10);
    assertThat(Fx.call(() -> view[0].shownRows().size())).isEqualTo(HOSTS);
    long fxThread = Fx.call(() -> Thread.currentThread().getId());

    long[] pulseNanos = new long[seconds * 200];
    long[] pulseCpu = new long[pulseNanos.length];
    int[] pulses = {0};
    long[] pulseStart = {0};
    long[] cpuStart = {0};
    AnimationTimer probe = new AnimationTimer() {
      @Override
      public void handle(long now) {
        pulseStart[0] = System.nanoTime();
        cpuStart[0] = mx.getCurrentThreadCpuTime();
      }
    };
    long renderThread = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("QuantumRenderer")).mapToLong(Thread::getId).findFirst().orElse(-1);
    // the renderer's CPU time between two pulse ends: what the previous frame cost it (load-independent)
    long[] renderCpu = new long[pulseNanos.length];
    long[] lastRender = {mx.getThreadCpuTime(renderThread)};
    TKPulseListener end = () -> {
      if (recording[0] && pulseStart[0] != 0 && pulses[0] < pulseNanos.length) {
        pulseNanos[pulses[0]] = System.nanoTime() - pulseStart[0];
        pulseCpu[pulses[0]] = mx.getCurrentThreadCpuTime() - cpuStart[0];
        long r = mx.getThreadCpuTime(renderThread);
        renderCpu[pulses[0]] = r - lastRender[0];
        lastRender[0] = r;
        pulses[0]++;
        pulseStart[0] = 0;
      }
    };
    long[] vmNanos = new long[seconds + warmup + 10];
    int[] vmRuns = {0};
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    long wall0;
    long cpu0;
    long render0;
    try {
      Fx.run(() -> {
        Toolkit.getToolkit().addPostSceneTkPulseListener(end);
        probe.start();
      });
      feeder.scheduleAtFixedRate(() -> {
        // the io thread: the fetch answered; the view-model keeps histories and publishes one batch
        List<Host> hosts = round(tick[0]++);
        long t0 = System.nanoTime();
        vm.accept(hosts, true);
        if (recording[0] && vmRuns[0] < vmNanos.length) {
          vmNanos[vmRuns[0]++] = System.nanoTime() - t0;
        }
      }, 0, 1, TimeUnit.SECONDS);
      Thread.sleep(warmup * 1000L); // JIT warm-up: the benchmark's own run time
      Fx.run(() -> recording[0] = true);
      wall0 = System.nanoTime();
      cpu0 = mx.getThreadCpuTime(fxThread);
      render0 = mx.getThreadCpuTime(renderThread);
      Thread.sleep(seconds * 1000L); // the benchmark's own run time, not a wait for a condition
    } finally {
      feeder.shutdownNow();
      feeder.awaitTermination(5, TimeUnit.SECONDS);
    }
    long wall = System.nanoTime() - wall0;
    long cpuFx = mx.getThreadCpuTime(fxThread) - cpu0;
    double renderBusy = 100.0 * (mx.getThreadCpuTime(renderThread) - render0) / wall;
    Fx.run(() -> {
      recording[0] = false;
      probe.stop();
      Toolkit.getToolkit().removePostSceneTkPulseListener(end);
    });
    Snapshots.write(scene, Path.of(tilesLayout ? "bench-fleet-tiles.png" : "bench-fleet.png"));
    Fx.run(stage[0]::close);
    vm.close();
    unused.close();

    long[] all = Arrays.copyOf(pulseNanos, pulses[0]);
    long[] allCpu = Arrays.copyOf(pulseCpu, pulses[0]);
    long[] allRender = Arrays.copyOfRange(renderCpu, Math.min(1, pulses[0]), pulses[0]);
    long[] batch = Arrays.copyOf(batchNanos, batches[0]);
    long[] vmWork = Arrays.copyOf(vmNanos, vmRuns[0]);
    double busy = 100.0 * cpuFx / wall;
    String report = String.format(Locale.ROOT,
        "FleetBench: %d hosts, every host reporting 1/s for %d s (after %d s warm-up), FleetView %s sorted by %s,"
            + " 1280x800 shown, JavaFX %s, prism %s%n"
            + "  pulses %d (%.1f/s)%n"
            + "  pulse FX-thread CPU time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
            + "  pulse wall time (incl. waiting for the renderer): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
            + "  renderer CPU time per pulse: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
            + "  UI batch (apply %d hosts, refilter, re-sort) %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
            + "  view-model off the FX thread (histories, snapshots) %d: p50 %.2f ms, max %.2f ms%n"
            + "  FX thread CPU %.1f %% of wall time; renderer thread CPU %.1f %%%n"
            + "  goals: pulse p99 < 16 ms: %s (FX CPU) / %s (wall); FX thread < 25 %% busy: %s",
        HOSTS, seconds, warmup, tilesLayout ? "tiles" : "table", System.getProperty("nines.bench.sort", "GPU_TEMP"),
        System.getProperty("javafx.runtime.version"), System.getProperty("prism.order", "default"),
        all.length, all.length / (wall / 1e9),
        pct(allCpu, 50), pct(allCpu, 99), pct(allCpu, 100),
        pct(all, 50), pct(all, 99), pct(all, 100),
        pct(allRender, 50), pct(allRender, 99), pct(allRender, 100),
        HOSTS, batch.length, pct(batch, 50), pct(batch, 99), pct(batch, 100),
        vmWork.length, pct(vmWork, 50), pct(vmWork, 100),
        busy, renderBusy,
        pct(allCpu, 99) < 16 ? "met" : "MISSED", pct(all, 99) < 16 ? "met" : "MISSED", busy < 25 ? "met" : "MISSED");
    System.out.println(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of(tilesLayout ? "target/fleet-bench-tiles.txt" : "target/fleet-bench.txt"), report + "\n");
    assertThat(all.length).as("pulses measured").isGreaterThan(seconds * 10);
    assertThat(batch.length).isGreaterThanOrEqualTo(seconds - 1);
  }

  static List<Host> round(long t) {
    List<Host> hosts = new ArrayList<>(HOSTS);
    for (int i = 0; i < HOSTS; i++) {
      hosts.add(host(i, t));
    }
    return hosts;
  }

  static double pct(long[] nanos, int p) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.ceil(p / 100.0 * s.length) - 1);
    return s[Math.max(0, i)] / 1e6;
  }
}
