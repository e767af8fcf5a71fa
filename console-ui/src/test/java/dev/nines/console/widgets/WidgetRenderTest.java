package dev.nines.console.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.fx.Fx;
import dev.nines.console.fx.FxExtension;
import dev.nines.console.fx.Snapshots;
import dev.nines.console.theme.Palette;
import dev.nines.console.theme.Theme;
import dev.nines.console.theme.Themes;
import dev.nines.console.theme.Tone;
import dev.nines.protocol.RoutingState;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(FxExtension.class)
class WidgetRenderTest {
  static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

  /** p50/p95/p99 latency, one sample a minute over 6 h, a 20-minute gap at 2 h. */
  static TimeSeriesChart latencyChart() {
    TimeSeriesChart chart = new TimeSeriesChart();
    chart.setTitle("Endpoint latency");
    chart.setUnit(Unit.MILLISECONDS);
    chart.setTimeRange(T0, T0.plus(Duration.ofHours(6)));
    chart.setThreshold(500, "SLO p99 500 ms");
    chart.setBands(
        List.of(
            new TimeSeriesChart.Band(
                T0.plus(Duration.ofMinutes(200)),
                T0.plus(Duration.ofMinutes(245)),
                TimeSeriesChart.BandKind.MAINTENANCE,
                "maintenance"),
            new TimeSeriesChart.Band(
                T0.plus(Duration.ofMinutes(300)),
                T0.plus(Duration.ofMinutes(312)),
                TimeSeriesChart.BandKind.OUTAGE,
                "outage")));
    TimeSeriesBuffer p50 = new TimeSeriesBuffer(1000);
    TimeSeriesBuffer p95 = new TimeSeriesBuffer(1000);
    TimeSeriesBuffer p99 = new TimeSeriesBuffer(1000);
    for (int m = 0; m <= 360; m++) {
      long t = T0.plus(Duration.ofMinutes(m)).toEpochMilli();
      boolean gap = m >= 120 && m < 140;
      p50.append(t, gap ? Double.NaN : p50(m));
      p95.append(t, gap ? Double.NaN : p95(m));
      p99.append(t, gap ? Double.NaN : p95(m) * 1.45 + (m > 300 && m < 312 ? 250 : 0));
    }
    chart.setSeries("p50", p50);
    chart.setSeries("p95", p95);
    chart.setSeries("p99", p99);
    return chart;
  }

  static double p50(int minute) {
    return 120 + 25 * Math.sin(minute / 30.0);
  }

  static double p95(int minute) {
    return 260 + 60 * Math.sin(minute / 45.0) + (minute % 17) * 2;
  }

  static TimeSeriesChart gpuTemperatureChart() {
    TimeSeriesChart chart = new TimeSeriesChart();
    chart.setTitle("GPU temperature (Europe/Berlin)");
    chart.setUnit(Unit.CELSIUS);
    chart.setZone(ZoneId.of("Europe/Berlin"));
    Instant from = T0.minus(Duration.ofDays(7));
    chart.setTimeRange(from, T0);
    chart.setThreshold(85, "throttle 85 °C");
    for (int gpu = 0; gpu < 4; gpu++) {
      TimeSeriesBuffer b = new TimeSeriesBuffer(2100);
      for (int i = 0; i <= 7 * 24 * 12; i += 1) { // 5-minute rollups
        long t = from.plus(Duration.ofMinutes(5L * i)).toEpochMilli();
        double day = Math.sin((i % 288) / 288.0 * 2 * Math.PI);
        b.append(t, 58 + gpu * 4 + 12 * day + ((i * 7 + gpu * 13) % 11) * 0.4);
      }
      chart.setSeries("GPU " + gpu, b);
    }
    return chart;
  }

  static double[] sparkData(int n, double phase, boolean gaps) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.5 + 0.35 * Math.sin(i / 6.0 + phase) + ((i * 31) % 7) * 0.01;
      if (gaps && (i >= 20 && i < 24 || i == 40)) {
        v[i] = Double.NaN;
      }
    }
    return v;
  }

  static VBox gallery() {
    GridPane sparks = new GridPane();
    sparks.setHgap(12);
    sparks.setVgap(6);
    Tone[] tones = {Tone.NEUTRAL, Tone.OK, Tone.WARNING, Tone.CRITICAL};
    for (int i = 0; i < tones.length; i++) {
      Sparkline s = new Sparkline(60);
      s.setData(sparkData(60, i, i == 2));
      s.setTone(tones[i]);
      if (i == 3) {
        s.setThreshold(0.8);
      }
      sparks.add(new Label(tones[i].name()), 0, i);
      sparks.add(s, 1, i);
    }
    FlowPane badges = new FlowPane(8, 8);
    for (Health h : Health.values()) {
      badges.getChildren().add(StateBadge.of(h));
    }
    for (RoutingState r : RoutingState.values()) {
      badges.getChildren().add(StateBadge.of(r));
    }
    AvailabilityBar a1 = new AvailabilityBar();
    a1.setLabel("1 h ");
    a1.setValues(0.9995, 0.999);
    AvailabilityBar a2 = new AvailabilityBar();
    a2.setLabel("30 d");
    a2.setValues(0.9981, 0.999);
    AvailabilityBar a3 = new AvailabilityBar();
    a3.setLabel("1 d ");
    a3.setValues(Double.NaN, 0.999);
    BudgetBar b1 = new BudgetBar();
    b1.setRemaining(0.62);
    BudgetBar b2 = new BudgetBar();
    b2.setRemaining(0.12);
    BudgetBar b3 = new BudgetBar();
    b3.setRemaining(-0.4);
    BurnRateIndicator r1 = new BurnRateIndicator();
    r1.setCondition(new BurnCondition("page-14.4x-1h-5m", "page", 14.4, "1h", "5m", 16.2, 21.0, true));
    BurnRateIndicator r2 = new BurnRateIndicator();
    r2.setCondition(new BurnCondition("page-6x-6h-30m", "page", 6, "6h", "30m", 7.1, 2.3, false));
    BurnRateIndicator r3 = new BurnRateIndicator();
    r3.setCondition(new BurnCondition("ticket-1x-3d-6h", "ticket", 1, "3d", "6h", 0.4, 0.2, false));
    VBox box =
        new VBox(
            8,
            sparks,
            badges,
            a1,
            a2,
            a3,
            b1,
            b2,
            b3,
            r1,
            r2,
            r3,
            latencyChart(),
            gpuTemperatureChart());
    box.setPadding(new Insets(12));
    return box;
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void galleryOfEveryWidgetRendersInBothThemes(Theme theme) throws Exception {
    Scene scene = Fx.call(() -> new Scene(gallery(), 760, 960));
    Fx.run(() -> Themes.apply(scene, theme));
    Path png = Snapshots.write(scene, Path.of("widgets-" + theme.name().toLowerCase() + ".png"));
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(760);
    Palette p = theme.palette();
    // every state colour is drawn somewhere (badges, bars, lines)
    for (Color c : List.of(p.ok(), p.warning(), p.critical(), p.info(), p.maintenance())) {
      assertThat(count(image, c, 8)).as("pixels of %s in %s", c, theme).isGreaterThan(20);
    }
    assertThat(count(image, p.threshold(), 8)).isGreaterThan(20);
    assertThat(count(image, p.surface(), 2)).as("chart surface").isGreaterThan(10_000);
  }

  @Test
  void sparklineDrawsItsToneAndLeavesGapsEmpty() throws Exception {
    Sparkline s = Fx.call(() -> new Sparkline(10));
    Fx.run(
        () -> {
          s.setData(0, 1, 2, 3, Double.NaN, Double.NaN, Double.NaN, 7, 8, 9);
          s.setTone(Tone.CRITICAL);
          s.resize(200, 40);
          StackPane root = new StackPane(s);
          Scene scene = new Scene(root, 200, 40);
          Themes.apply(scene, Theme.LIGHT);
        });
    Path png = Snapshots.write(s, Path.of("sparkline-gaps.png"));
    BufferedImage image = ImageIO.read(png.toFile());
    Color red = Palette.LIGHT.critical();
    // slot width (200 - 4) / 9 = 21.8 px; slots 4..6 (x 89..133) are a gap: no red in the middle
    int inGap = 0;
    int left = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        boolean isRed = near(image.getRGB(x, y), red, 40);
        if (isRed && x > 95 && x < 128) {
          inGap++;
        }
        if (isRed && x < 60) {
          left++;
        }
      }
    }
    assertThat(left).isGreaterThan(20);
    assertThat(inGap).isZero();
    assertThat(Files.size(png)).isPositive();
  }

  @Test
  void hoverReadoutShowsTheSampleUnderThePointer() {
    TimeSeriesChart chart = Fx.call(WidgetRenderTest::latencyChart);
    Scene scene = Fx.call(() -> new Scene(new StackPane(chart), 640, 240));
    Fx.run(() -> Themes.apply(scene, Theme.DARK));
    Fx.layout(scene);
    // plot from x=58 to 628 (570 px) covers 360 minutes: minute 100 is at 58 + 100/360 * 570
    double x = 58 + 100 / 360.0 * 570;
    Fx.run(
        () ->
            chart.fireEvent(
                new MouseEvent(
                    MouseEvent.MOUSE_MOVED, x, 120, x, 120, MouseButton.NONE, 0, false, false,
                    false, false, false, false, false, false, false, false, null)));
    TimeSeriesChart.Readout r = Fx.call(() -> chart.readoutProperty().get());
    assertThat(r).isNotNull();
    assertThat(r.at()).isEqualTo(T0.plus(Duration.ofMinutes(100)));
    assertThat(r.valueOf("p50")).isEqualTo(p50(100));
    assertThat(r.valueOf("p95")).isEqualTo(p95(100));
    assertThat(r.values().get(1).text()).isEqualTo(Unit.MILLISECONDS.format(p95(100)));
    Snapshots.write(scene, Path.of("chart-hover.png"));
    // in the gap (minute 130) the series have no value
    double gx = 58 + 130 / 360.0 * 570;
    TimeSeriesChart.Readout gap = Fx.call(() -> chart.readoutAt(gx).orElseThrow());
    assertThat(gap.valueOf("p50")).isNaN();
    assertThat(gap.values().get(0).text()).isEqualTo("–");
    // leaving the chart hides the readout
    Fx.run(
        () ->
            chart.fireEvent(
                new MouseEvent(
                    MouseEvent.MOUSE_EXITED, -1, -1, -1, -1, MouseButton.NONE, 0, false, false,
                    false, false, false, false, false, false, false, false, null)));
    assertThat(Fx.call(() -> chart.readoutProperty().get())).isNull();
  }

  @Test
  void manyChangesBetweenPulsesDrawOnceAndNoChangeDrawsNothing() {
    Sparkline s = Fx.call(() -> new Sparkline(60));
    Fx.run(() -> new Scene(new StackPane(s), 120, 24));
    Fx.waitForPulses(2);
    long before = Fx.call(s::drawCount);
    Fx.run(
        () -> {
          for (int i = 0; i < 100; i++) {
            s.append(i);
          }
          assertThat(s.isDirty()).isTrue();
        });
    Fx.waitForPulses(2);
    long after = Fx.call(s::drawCount);
    assertThat(after - before).isEqualTo(1);
    Fx.waitForPulses(3);
    assertThat(Fx.call(s::drawCount)).isEqualTo(after);
    // an unchanged threshold or tone is no change either
    Fx.run(
        () -> {
          s.setTone(Tone.NEUTRAL);
          s.setThreshold(Double.NaN);
        });
    Fx.waitForPulses(2);
    assertThat(Fx.call(s::drawCount)).isEqualTo(after);
  }

  @Test
  void switchingTheThemeRedrawsWithTheOtherPalette() {
    TimeSeriesChart chart = Fx.call(WidgetRenderTest::latencyChart);
    Scene scene = Fx.call(() -> new Scene(new StackPane(chart), 400, 200));
    Fx.run(() -> Themes.apply(scene, Theme.DARK));
    BufferedImage dark = Snapshots.image(scene);
    assertThat(near(dark.getRGB(3, 100), Palette.DARK.surface(), 2)).isTrue();
    assertThat(Fx.call(scene::getUserAgentStylesheet)).contains("primer-dark");
    Fx.run(() -> Themes.apply(scene, Theme.LIGHT));
    BufferedImage light = Snapshots.image(scene);
    assertThat(near(light.getRGB(3, 100), Palette.LIGHT.surface(), 2)).isTrue();
    assertThat(Fx.call(scene::getUserAgentStylesheet)).contains("primer-light");
    assertThat(Fx.call(() -> scene.getRoot().getStyleClass())).contains("nines-light");
  }

  @Test
  void badgesSayTheirStateInWordsShapeAndAccessibleText() {
    StateBadge degraded = Fx.call(() -> StateBadge.of(Health.DEGRADED));
    assertThat(degraded.text()).isEqualTo("DEGRADED");
    assertThat(degraded.glyph()).isEqualTo(StateBadge.Glyph.WARNING_TRIANGLE);
    assertThat(degraded.tone()).isEqualTo(Tone.WARNING);
    assertThat(degraded.getAccessibleText()).isEqualTo("Health: degraded");
    StateBadge draining = Fx.call(() -> StateBadge.of(RoutingState.DRAINING));
    assertThat(draining.getAccessibleText()).isEqualTo("Routing: draining");
    assertThat(draining.glyph()).isEqualTo(StateBadge.Glyph.HALF_CIRCLE);
    // every state has its own shape within its kind
    assertThat(
            java.util.Arrays.stream(Health.values())
                .map(h -> Fx.call(() -> StateBadge.of(h)).glyph())
                .distinct())
        .hasSize(4);
    assertThat(
            java.util.Arrays.stream(RoutingState.values())
                .map(r -> Fx.call(() -> StateBadge.of(r)).glyph())
                .distinct())
        .hasSize(4);
  }

  @Test
  void barsTextAndTone() {
    AvailabilityBar a = Fx.call(AvailabilityBar::new);
    Fx.run(() -> a.setValues(0.9995, 0.999));
    assertThat(a.text()).isEqualTo("99.95 %  SLO 99.9 %");
    assertThat(a.tone()).isEqualTo(Tone.OK);
    assertThat(a.position(0.999)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    Fx.run(() -> a.setValues(0.998, 0.999));
    assertThat(a.tone()).isEqualTo(Tone.CRITICAL);
    BudgetBar b = Fx.call(BudgetBar::new);
    Fx.run(() -> b.setRemaining(-0.4));
    assertThat(b.text()).isEqualTo("40 % overspent");
    assertThat(b.tone()).isEqualTo(Tone.CRITICAL);
    Fx.run(() -> b.setRemaining(0.62));
    assertThat(b.text()).isEqualTo("62 % left");
    assertThat(b.tone()).isEqualTo(Tone.OK);
  }

  static boolean near(int argb, Color c, int tolerance) {
    int r = (argb >> 16) & 0xff;
    int g = (argb >> 8) & 0xff;
    int b = argb & 0xff;
    return Math.abs(r - (int) Math.round(c.getRed() * 255)) <= tolerance
        && Math.abs(g - (int) Math.round(c.getGreen() * 255)) <= tolerance
        && Math.abs(b - (int) Math.round(c.getBlue() * 255)) <= tolerance;
  }

  static int count(BufferedImage image, Color c, int tolerance) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (near(image.getRGB(x, y), c, tolerance)) {
          n++;
        }
      }
    }
    return n;
  }
}
