package dev.nines.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.agent.ship.Backoff;
import dev.nines.agent.ship.DesiredState;
import dev.nines.agent.ship.MutableClock;
import dev.nines.agent.ship.Shipper;
import dev.nines.agent.ship.ShipperConfig;
import dev.nines.agent.ship.Spool;
import dev.nines.agent.ship.TestReports;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.RoutingState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(TestReports.T0 + 5000);

  /** Metric names on the page (sample lines only, labels cut off). */
  static Set<String> names(String page) {
    Set<String> names = new TreeSet<>();
    for (String line : page.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /** The value of the one sample line starting with {@code series} (name plus labels). */
  static double value(String page, String series) {
    List<String> lines = page.lines().filter(l -> l.startsWith(series + " ")).toList();
    assertThat(lines).as("sample %s on the page", series).hasSize(1);
    return Double.parseDouble(lines.get(0).substring(series.length() + 1).strip());
  }

  @Test
  void pageCarriesTheDocumentedNamesAfterAnUpdate() {
    AgentMetrics metrics = new AgentMetrics(clock);
    DesiredState desired = DesiredState.open(dir);
    Shipper shipper = new Shipper(
        ShipperConfig.of(List.of(URI.create("http://127.0.0.1:1")), "t"),
        Spool.open(dir), desired, Backoff.withDefaults(new Random(1)), clock);
    metrics.bindShipper(shipper);
    metrics.bindDesiredState(desired);
    metrics.recordCollect("host", Duration.ofMillis(12));
    metrics.update(TestReports.report(1));

    String page = metrics.scrape();
    System.out.println(page);
    assertThat(names(page)).contains(
        "nines_agent_collect_seconds_count", "nines_agent_collect_seconds_sum",
        "nines_agent_spool_depth", "nines_agent_spool_bytes",
        "nines_agent_reports_sent_total", "nines_agent_report_send_failures_total",
        "nines_agent_reports_dropped_total", "nines_agent_last_ack_age_seconds",
        "nines_agent_last_report_age_seconds", "nines_agent_desired_state",
        "nines_host_cpu_utilization_ratio", "nines_host_memory_total_bytes",
        "nines_host_memory_available_bytes", "nines_host_swap_total_bytes",
        "nines_host_swap_used_bytes", "nines_host_load1",
        "nines_host_filesystem_used_bytes", "nines_host_filesystem_total_bytes",
        "nines_host_network_rx_bytes_per_second", "nines_host_network_tx_bytes_per_second",
        "nines_gpu_utilization_ratio", "nines_gpu_memory_used_bytes",
        "nines_gpu_memory_total_bytes", "nines_gpu_temperature_celsius", "nines_gpu_power_watts",
        "nines_gpu_power_limit_watts", "nines_gpu_ecc_uncorrected_errors",
        "nines_gpu_throttle_reasons", "nines_endpoint_health_up",
        "nines_endpoint_generation_latency_seconds", "nines_endpoint_scrape_latency_p95_seconds",
        "nines_endpoint_requests", "nines_endpoint_errors");
    assertThat(names(page)).allMatch(n -> n.startsWith("nines_"));
    // Every family has help text (promtool lints missing HELP).
    long families = page.lines().filter(l -> l.startsWith("# TYPE ")).count();
    long helps = page.lines().filter(l -> l.startsWith("# HELP ") && l.split(" ", 4).length == 4).count();
    assertThat(helps).isEqualTo(families);
  }

  @Test
  void gaugesShowExactValuesOfTheLatestReport() {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.update(TestReports.report(1));
    String page = metrics.scrape();

    assertThat(value(page, "nines_host_cpu_utilization_ratio")).isEqualTo(0.25);
    assertThat(value(page, "nines_host_memory_total_bytes")).isEqualTo(64.0 * (1L << 30));
    assertThat(value(page, "nines_host_load1")).isEqualTo(1.5);
    assertThat(value(page, "nines_host_filesystem_used_bytes{mount=\"/\"}")).isEqualTo(120.0 * (1L << 30));
    assertThat(value(page, "nines_host_network_tx_bytes_per_second{interface=\"eth0\"}")).isEqualTo(800.5);
    assertThat(value(page, "nines_gpu_utilization_ratio{gpu=\"0\",uuid=\"GPU-aaaa\"}")).isEqualTo(0.93);
    assertThat(value(page, "nines_gpu_temperature_celsius{gpu=\"0\",uuid=\"GPU-aaaa\"}")).isEqualTo(71.0);
    assertThat(value(page, "nines_gpu_throttle_reasons{gpu=\"0\",uuid=\"GPU-aaaa\"}")).isEqualTo(4.0);
    assertThat(value(page, "nines_endpoint_health_up{endpoint=\"http://127.0.0.1:8000\"}")).isEqualTo(1.0);
    assertThat(value(page, "nines_endpoint_generation_latency_seconds{endpoint=\"http://127.0.0.1:8000\"}")).isEqualTo(0.25);
    assertThat(value(page, "nines_endpoint_scrape_latency_p95_seconds{endpoint=\"http://127.0.0.1:8000\"}")).isEqualTo(0.21);
    assertThat(value(page, "nines_endpoint_requests{endpoint=\"http://127.0.0.1:8000\"}")).isEqualTo(120.0);
    assertThat(value(page, "nines_agent_last_report_age_seconds")).isEqualTo(0.0);

    clock.advance(Duration.ofMillis(2500));
    assertThat(value(metrics.scrape(), "nines_agent_last_report_age_seconds")).isEqualTo(2.5);
  }

  @Test
  void gaugesFollowTheLatestReportAndDropWhatDisappeared() {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.update(TestReports.report(2, TestReports.T0,
        new GpuSection(true, null, "nvml", null,
            List.of(TestReports.gpu(0, "GPU-aaaa", 0.5), TestReports.gpu(1, "GPU-bbbb", 0.6))),
        List.of(TestReports.endpoint("http://a:8000", true), TestReports.endpoint("http://b:8000", true))));
    metrics.update(TestReports.report(3, TestReports.T0 + 5000,
        new GpuSection(true, null, "nvml", null, List.of(TestReports.gpu(0, "GPU-aaaa", 0.75))),
        List.of(TestReports.endpoint("http://a:8000", false))));

    String page = metrics.scrape();
    assertThat(value(page, "nines_gpu_utilization_ratio{gpu=\"0\",uuid=\"GPU-aaaa\"}")).isEqualTo(0.75);
    assertThat(page).doesNotContain("GPU-bbbb").doesNotContain("http://b:8000");
    assertThat(value(page, "nines_endpoint_health_up{endpoint=\"http://a:8000\"}")).isEqualTo(0.0);
    assertThat(value(page, "nines_gpus")).isEqualTo(1.0);

    metrics.update(TestReports.report(4, TestReports.T0 + 10_000,
        GpuSection.unavailable("nvml", "libnvidia-ml.so.1 not found"), List.of()));
    page = metrics.scrape();
    assertThat(value(page, "nines_gpu_available")).isEqualTo(0.0);
    assertThat(names(page)).doesNotContain("nines_gpu_utilization_ratio", "nines_endpoint_health_up");
  }

  @Test
  void desiredStateGaugeMarksExactlyTheCurrentState() {
    AgentMetrics metrics = new AgentMetrics(clock);
    DesiredState desired = DesiredState.open(dir);
    metrics.bindDesiredState(desired);
    desired.update(RoutingState.MAINTENANCE, "disk swap", 1);
    String page = metrics.scrape();
    assertThat(value(page, "nines_agent_desired_state{state=\"MAINTENANCE\"}")).isEqualTo(1.0);
    assertThat(value(page, "nines_agent_desired_state{state=\"ACTIVE\"}")).isEqualTo(0.0);
  }
}
