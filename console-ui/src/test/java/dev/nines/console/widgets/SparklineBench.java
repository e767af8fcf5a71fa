package dev.nines.console.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.javafx.tk.TKPulseListener;
import com.sun.javafx.tk.Toolkit;
import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import dev.nines.console.theme.Tone;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On demand ({@code -Dnines.bench=true}): 1,000 hosts x 6 sparklines in a virtualized TableView on a
 * shown 1280 x 800 stage (the Monocle headless screen), every host's six metrics updated once a second for 30 s
 * ({@code -Dnines.bench.seconds}). Measures the FX-thread part of each pulse (from the animation
 * phase to the end of the scene pulses: CSS, layout, canvas redraws, sync) with a probe timer that
 * keeps pulses running at 60 Hz (so the figures include idle pulses and are pessimistic), the
 * update batches, and the FX and renderer threads' CPU time over the run.
 */
@ExtendWith(FxExtension.class)
@EnabledIfSystemProperty(named = "nines.bench", matches = "true")
class SparklineBench {
  static final int HOSTS = 1000;
  static final int METRICS = 6;
  static final int CAPACITY = 60;

  /** One host row: each metric's latest snapshot (a new array each second). */
  static final class Row {
    final String id;
    final DoubleRing[] rings = new DoubleRing[METRICS];
    final List<ReadOnlyObjectWrapper<double[]>> shown = new ArrayList<>();
    final ReadOnlyStringWrapper name;

    Row(int i) {
      id = String.format(Locale.ROOT, "gpu-node-%04d", i);
      name = new ReadOnlyStringWrapper(id);
      for (int m = 0; m < METRICS; m++) {
        rings[m] = new DoubleRing(CAPACITY);
        shown.add(new ReadOnlyObjectWrapper<>(new double[0]));
      }
    }
  }

  static final class SparkCell extends TableCell<Row, double[]> {
    private final Sparkline line = new Sparkline(CAPACITY);

    SparkCell(int metric) {
      line.setPrefSize(150, 22);
      line.setTone(metric == 3 ? Tone.WARNING : Tone.NEUTRAL);
      setGraphic(null);
    }

    @Override
    protected void updateItem(double[] item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setGraphic(null);
      } else {
        line.setData(item);
        setGraphic(line);
      }
    }
  }

  @Test
  void thousandHostsOfSixSparklinesUpdatedEverySecond() throws Exception {
    int seconds = Integer.getInteger("nines.bench.seconds", 30);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < HOSTS; i++) {
      rows.add(new Row(i));
    }
    // a minute of history first, so every line is full
    long[] tick = {0};
    for (int s = 0; s < CAPACITY; s++) {
      sample(rows, tick[0]++);
    }
    for (Row r : rows) {
      for (int m = 0; m < METRICS; m++) {
        r.shown.get(m).set(r.rings[m].toArray());
      }
    }
    Stage[] stage = new Stage[1];
    Scene scene =
        Fx.call(
            () -> {
              TableView<Row> table = new TableView<>();
              TableColumn<Row, String> name = new TableColumn<>("host");
              name.setCellValueFactory(c -> c.getValue().name.getReadOnlyProperty());
              name.setPrefWidth(120);
              table.getColumns().add(name);
              String[] titles = {"CPU", "GPU util", "GPU mem", "GPU temp", "p95", "errors"};
              for (int m = 0; m < METRICS; m++) {
                int metric = m;
                TableColumn<Row, double[]> col = new TableColumn<>(titles[m]);
                col.setCellValueFactory(c -> c.getValue().shown.get(metric).getReadOnlyProperty());
                col.setCellFactory(c -> new SparkCell(metric));
                col.setPrefWidth(170);
                table.getColumns().add(col);
              }
              table.getItems().setAll(rows);
              Scene sc = new Scene(table, 1280, 800);
              Themes.apply(sc, Theme.DARK);
              stage[0] = new Stage();
              stage[0].setScene(sc);
              stage[0].show();
              return sc;
            });
    Fx.waitForPulses(10);

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long fxThread = Fx.call(() -> Thread.currentThread().getId());
    long renderThread =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("QuantumRenderer"))
            .mapToLong(Thread::getId)
            .findFirst()
            .orElse(-1);

    int warmup = Integer.getInteger("nines.bench.warmup", 5);
    boolean[] recording = {false};
    long[] pulseNanos = new long[seconds * 200];
    long[] pulseCpuNanos = new long[pulseNanos.length];
    long[] cpuAtStart = {0};
    boolean[] pulseDrew = new boolean[pulseNanos.length];
    int[] pulses = {0};
    long[] pulseStart = {0};
    long[] redrawsAtStart = {0};
    long[] batchNanos = new long[seconds + 5];
    int[] batches = {0};
    AnimationTimer probe =
        new AnimationTimer() {
          @Override
          public void handle(long now) {
            pulseStart[0] = now;
            cpuAtStart[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            redrawsAtStart[0] = RedrawScheduler.redraws();
          }
        };
    TKPulseListener end =
        () -> {
          if (recording[0] && pulseStart[0] != 0 && pulses[0] < pulseNanos.length) {
            pulseNanos[pulses[0]] = System.nanoTime() - pulseStart[0];
            pulseCpuNanos[pulses[0]] =
                ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart[0];
            pulseDrew[pulses[0]] = RedrawScheduler.redraws() != redrawsAtStart[0];
            pulses[0]++;
            pulseStart[0] = 0;
          }
        };
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    long cpuFx0;
    long cpuRender0;
    long wall0;
    long redraws0;
    try {
      Fx.run(
          () -> {
            Toolkit.getToolkit().addPostSceneTkPulseListener(end);
            probe.start();
          });
      feeder.scheduleAtFixedRate(
          () -> {
            // the backend client's thread: new samples arrive, the view-model publishes them
            sample(rows, tick[0]++);
            double[][][] snapshots = new double[HOSTS][METRICS][];
            for (int h = 0; h < HOSTS; h++) {
              for (int m = 0; m < METRICS; m++) {
                snapshots[h][m] = rows.get(h).rings[m].toArray();
              }
            }
            Platform.runLater(
                () -> {
                  long t0 = System.nanoTime();
                  for (int h = 0; h < HOSTS; h++) {
                    for (int m = 0; m < METRICS; m++) {
                      rows.get(h).shown.get(m).set(snapshots[h][m]);
                    }
                  }
                  if (recording[0] && batches[0] < batchNanos.length) {
                    batchNanos[batches[0]++] = System.nanoTime() - t0;
                  }
                });
          },
          0,
          1,
          TimeUnit.SECONDS);
      Thread.sleep(warmup * 1000L); // JIT warm-up: the benchmark's own run time, not a wait
      Fx.run(() -> recording[0] = true);
      cpuFx0 = mx.getThreadCpuTime(fxThread);
      cpuRender0 = renderThread < 0 ? 0 : mx.getThreadCpuTime(renderThread);
      wall0 = System.nanoTime();
      redraws0 = Fx.call(RedrawScheduler::redraws);
      Thread.sleep(seconds * 1000L); // the benchmark's own run time, not a wait for a condition
    } finally {
      feeder.shutdownNow();
      feeder.awaitTermination(5, TimeUnit.SECONDS);
    }
    long wall = System.nanoTime() - wall0;
    long cpuFx = mx.getThreadCpuTime(fxThread) - cpuFx0;
    long cpuRender = renderThread < 0 ? -1 : mx.getThreadCpuTime(renderThread) - cpuRender0;
    long redraws = Fx.call(RedrawScheduler::redraws) - redraws0;
    Fx.run(
        () -> {
          probe.stop();
          Toolkit.getToolkit().removePostSceneTkPulseListener(end);
        });
    Snapshots.write(scene, Path.of("bench-table.png"));
    Fx.run(stage[0]::close);

    int n = pulses[0];
    long[] all = Arrays.copyOf(pulseNanos, n);
    long[] allCpu = Arrays.copyOf(pulseCpuNanos, n);
    long[] drewCpu = new long[n];
    long[] drew = new long[n];
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (pulseDrew[i]) {
        drewCpu[d] = pulseCpuNanos[i];
        drew[d++] = pulseNanos[i];
      }
    }
    drew = Arrays.copyOf(drew, d);
    drewCpu = Arrays.copyOf(drewCpu, d);
    long[] batch = Arrays.copyOf(batchNanos, batches[0]);
    String report =
        String.format(
            Locale.ROOT,
            "SparklineBench: %d hosts x %d sparklines (%d points), TableView 1280x800 shown, "
                + "updates 1/s for %d s, JavaFX %s, prism %s%n"
                + "  after %d s warm-up; pulses %d (%.1f/s)%n"
                + "  pulse wall time (FX thread, incl. waiting for the renderer): p50 %.2f ms,"
                + " p99 %.2f ms, max %.2f ms%n"
                + "  pulse FX-thread CPU time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                + "  pulses with canvas redraws %d: wall p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                + " FX CPU p50 %.2f ms, max %.2f ms; canvas redraws %d (%.0f/s)%n"
                + "  update batch (6,000 property sets on the FX thread) %d: p50 %.2f ms, max %.2f ms%n"
                + "  FX thread CPU %.1f %% of wall time; renderer thread CPU %.1f %%%n"
                + "  goals: pulse p99 < 16 ms: %s (wall) / %s (FX CPU); FX thread < 25 %% busy: %s",
            HOSTS,
            METRICS,
            CAPACITY,
            seconds,
            System.getProperty("javafx.runtime.version"),
            System.getProperty("prism.order", "default"),
            warmup,
            n,
            n / (wall / 1e9),
            pct(all, 50),
            pct(all, 99),
            pct(all, 100),
            pct(allCpu, 50),
            pct(allCpu, 99),
            pct(allCpu, 100),
            d,
            pct(drew, 50),
            pct(drew, 99),
            pct(drew, 100),
            pct(drewCpu, 50),
            pct(drewCpu, 100),
            redraws,
            redraws / (wall / 1e9),
            batch.length,
            pct(batch, 50),
            pct(batch, 100),
            100.0 * cpuFx / wall,
            cpuRender < 0 ? Double.NaN : 100.0 * cpuRender / wall,
            pct(all, 99) < 16 ? "met" : "MISSED",
            pct(allCpu, 99) < 16 ? "met" : "MISSED",
            100.0 * cpuFx / wall < 25 ? "met" : "MISSED");
    System.out.println(report);
    java.nio.file.Files.createDirectories(Path.of("target"));
    java.nio.file.Files.writeString(Path.of("target/sparkline-bench.txt"), report + "\n");
    assertThat(n).as("pulses measured").isGreaterThan(seconds * 10);
    assertThat(batch.length).isGreaterThanOrEqualTo(seconds - 1);
  }

  /** One second of new samples for every host (deterministic waves with a few gaps). */
  static void sample(List<Row> rows, long t) {
    for (int h = 0; h < rows.size(); h++) {
      Row r = rows.get(h);
      for (int m = 0; m < METRICS; m++) {
        double v = 0.5 + 0.4 * Math.sin((t + h * 7 + m * 13) / 9.0);
        r.rings[m].append((t + h) % 97 == 0 ? Double.NaN : v);
      }
    }
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
