package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.protocol.RoutingState;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetPageTest {
  static String text(List<MetricSnapshot> families) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(families));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aHostNeverJudgedIsUnknownAndAnUnreadableReportGivesNoGpuOrEndpointSeries() throws IOException {
    HostView h = new HostView("h1", "", null, RoutingState.DRAINING, 1_000, null);
    List<MetricSnapshot> all = new ArrayList<>(FleetPage.hostGauges(List.of(h)));
    all.add(FleetPage.reportAge(List.of(h), 3_500));

    String page = text(all);
    assertThat(page)
        .contains("nines_host_health_state{host=\"h1\",pool=\"\",state=\"UNKNOWN\"} 1.0")
        .contains("nines_host_health_state{host=\"h1\",pool=\"\",state=\"HEALTHY\"} 0.0")
        .contains("nines_host_routing_state{host=\"h1\",pool=\"\",state=\"DRAINING\"} 1.0")
        .contains("nines_host_last_report_age_seconds{host=\"h1\",pool=\"\"} 2.5")
        .doesNotContain("nines_gpu_")
        .doesNotContain("nines_endpoint_");
  }

  @Test
  void poolFiguresThatAreNotAvailableGiveNoSampleAndAnUnlistedStateGetsItsOwn() throws IOException {
    PoolFigures p = new PoolFigures("p1", Map.of("1h", 0.75), null, Map.of("5m", 250.0), "FAILING_OVER", 4, 3);

    String page = text(FleetPage.pools(List.of(p)));
    assertThat(page)
        .contains("nines_pool_availability_ratio{pool=\"p1\",window=\"1h\"} 0.75")
        .doesNotContain("window=\"1d\"")
        .doesNotContain("nines_pool_error_budget_remaining_ratio{")
        .contains("nines_pool_error_budget_burn_rate{pool=\"p1\",window=\"5m\"} 250.0")
        .contains("nines_pool_state{pool=\"p1\",state=\"UP\"} 0.0")
        .contains("nines_pool_state{pool=\"p1\",state=\"FAILING_OVER\"} 1.0")
        .contains("nines_pool_members{pool=\"p1\"} 4.0")
        .contains("nines_pool_members_up{pool=\"p1\"} 3.0");
  }

  @Test
  void countersShowOnlyTheHostsOnThePage() throws IOException {
    HostView h = new HostView("h1", "p", null, RoutingState.ACTIVE, 0, null);
    Map<String, Map<String, long[]>> counts =
        Map.of("h1", Map.of("http://a", new long[] {10, 1}), "gone", Map.of("http://a", new long[] {5, 5}));

    String page = text(FleetPage.endpointCounters(List.of(h), counts));
    assertThat(page)
        .contains("nines_endpoint_requests_total{endpoint=\"http://a\",host=\"h1\",pool=\"p\"} 10.0")
        .contains("nines_endpoint_request_errors_total{endpoint=\"http://a\",host=\"h1\",pool=\"p\"} 1.0")
        .doesNotContain("gone");
  }

  @Test
  void xidCountersShowOnlyTheHostsOnThePageWithTheirGpuAndCode() throws IOException {
    HostView h = new HostView("h1", "p", null, RoutingState.ACTIVE, 0, null);
    HostView quiet = new HostView("h2", "p", null, RoutingState.ACTIVE, 0, null);
    Map<String, Map<XidCounts.Key, Long>> counts =
        Map.of(
            "h1", Map.of(new XidCounts.Key(0, "79"), 2L, new XidCounts.Key(3, XidCounts.OTHER), 1L),
            "gone", Map.of(new XidCounts.Key(0, "79"), 5L));

    String page = text(List.of(FleetPage.xidCounters(List.of(h, quiet), id -> counts.getOrDefault(id, Map.of()))));
    assertThat(page)
        .contains("# TYPE nines_gpu_xid_errors_total counter")
        .contains("nines_gpu_xid_errors_total{gpu=\"0\",host=\"h1\",pool=\"p\",xid=\"79\"} 2.0")
        .contains("nines_gpu_xid_errors_total{gpu=\"3\",host=\"h1\",pool=\"p\",xid=\"other\"} 1.0")
        .doesNotContain("h2")
        .doesNotContain("gone");
  }

  @Test
  void thePoolsSloTargetIsAGaugeAndAbsentWithoutOne() throws IOException {
    PoolFigures with = new PoolFigures("p1", Map.of(), 1.0, Map.of(), "UP", 2, 2, Map.of(), 0.995);
    PoolFigures without = new PoolFigures("p2", Map.of(), null, Map.of(), "UP", 2, 2);

    String page = text(FleetPage.pools(List.of(with, without)));
    assertThat(page)
        .contains("# TYPE nines_pool_slo_target_ratio gauge")
        .contains("nines_pool_slo_target_ratio{pool=\"p1\"} 0.995")
        .doesNotContain("nines_pool_slo_target_ratio{pool=\"p2\"}");
  }

  @Test
  void anSloTargetOutsideZeroToOneIsRefusedNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new PoolFigures("p1", Map.of(), null, Map.of(), "UP", 0, 0, Map.of(), 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sloTarget");
  }
}
