package dev.nines.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentReportJsonTest {
  private final ObjectMapper json =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  static AgentReport sample() {
    HostMetrics host =
        new HostMetrics(
            0.25, 8, 1.5, 1.2, 0.9, 64L << 30, 40L << 30, 8L << 30, 1L << 20, 3600,
            List.of(new HostMetrics.FilesystemUsage("/", "ext4", 500L << 30, 120L << 30)),
            List.of(new HostMetrics.NetworkRates("eth0", 1200.0, 800.5, 0.0, null)));
    GpuMetrics gpu =
        new GpuMetrics(
            0, "GPU-1234", "NVIDIA H100 80GB HBM3", 0.93, 0.41, 85_899_345_920L, 80_000_000_000L,
            71.0, 612.5, 700.0, 5_000_000_000L, 0x4L, List.of("sw_power_cap"),
            List.of(new GpuMetrics.XidEvent(79, 1_700_000_000_000L)));
    EndpointReport ep =
        new EndpointReport(
            "http://127.0.0.1:8000", "vllm",
            new ProbeResult(true, 200, 3.2, false, null, 1_700_000_000_000L),
            new ProbeResult(false, null, 5000, true, "timed out after 5000 ms", 1_700_000_000_000L),
            new ServerStats(true, null, "vllm", 120L, 3L, 95.0, 80.0, 210.0, 400.0, 4.0, 1.0, 2));
    return new AgentReport(
        Protocol.CURRENT_VERSION, "gpu-node-01", 42, 1_700_000_000_000L, 5000,
        Map.of("pool", "llama-70b", "zone", "eu-1"), "0.1.0", host,
        new GpuSection(true, null, "nvml", "550.54.15", List.of(gpu)), List.of(ep));
  }

  @Test
  void reportSurvivesJsonRoundTripExactly() throws Exception {
    AgentReport report = sample();
    String text = json.writeValueAsString(report);
    AgentReport back = json.readValue(text, AgentReport.class);
    assertThat(back).isEqualTo(report);
    assertThat(back.gpu().gpus().get(0).eccUncorrectedVolatile()).isEqualTo(5_000_000_000L);
    assertThat(back.pool()).isEqualTo("llama-70b");
    assertThat(text).contains("\"version\":1").doesNotContain("txErrorsPerSecond");
  }

  @Test
  void replySurvivesJsonRoundTrip() throws Exception {
    ReportReply reply =
        new ReportReply(1, true, false, RoutingState.DRAINING, "operator alice: kernel update", 5,
            new ReportReply.AgentSettings(2000L));
    assertThat(json.readValue(json.writeValueAsString(reply), ReportReply.class)).isEqualTo(reply);
  }

  @Test
  void unavailableGpuSectionCarriesItsReason() throws Exception {
    GpuSection none = GpuSection.unavailable("nvml", "libnvidia-ml.so.1: cannot open shared object file");
    GpuSection back = json.readValue(json.writeValueAsString(none), GpuSection.class);
    assertThat(back.available()).isFalse();
    assertThat(back.unavailableReason()).contains("libnvidia-ml.so.1");
    assertThatThrownBy(() -> new GpuSection(false, null, "nvml", null, List.of()))
        .hasMessageContaining("gpu.unavailableReason");
  }

  @Test
  void refusesNegativeByteCounts() {
    assertThatThrownBy(
            () -> new HostMetrics(null, 1, null, null, null, -1, 0, 0, 0, 0, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memoryTotalBytes");
    assertThatThrownBy(() -> new HostMetrics.FilesystemUsage("/", "ext4", 10, -5))
        .hasMessageContaining("filesystems.usedBytes");
  }

  @Test
  void refusesRatiosOutsideZeroToOne() {
    assertThatThrownBy(
            () -> new HostMetrics(1.5, 1, null, null, null, 1, 0, 0, 0, 0, List.of(), List.of()))
        .hasMessageContaining("cpuUtilRatio");
    assertThatThrownBy(
            () -> new GpuMetrics(0, "u", "n", -0.1, null, null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("gpus.utilGpuRatio");
  }

  @Test
  void refusesNaNAndInfinity() {
    assertThatThrownBy(
            () -> new HostMetrics(Double.NaN, 1, null, null, null, 1, 0, 0, 0, 0, List.of(), List.of()))
        .hasMessageContaining("cpuUtilRatio");
    assertThatThrownBy(
            () -> new GpuMetrics(0, "u", "n", null, null, null, null, Double.POSITIVE_INFINITY,
                null, null, null, null, null, null))
        .hasMessageContaining("gpus.temperatureC");
  }

  @Test
  void refusesNaNTokensInJson() throws Exception {
    String text = json.writeValueAsString(sample()).replace("\"cpuUtilRatio\":0.25", "\"cpuUtilRatio\":NaN");
    assertThatThrownBy(() -> json.readValue(text, AgentReport.class)).isInstanceOf(com.fasterxml.jackson.core.JacksonException.class).hasMessageContaining("NaN");
  }

  @Test
  void refusesMissingIdsWithTheFieldName() throws Exception {
    String text = json.writeValueAsString(sample()).replace("\"agentId\":\"gpu-node-01\",", "");
    assertThatThrownBy(() -> json.readValue(text, AgentReport.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("agentId is required");
    assertThatThrownBy(() -> new EndpointReport("http://x", "vllm", null, null, null))
        .hasMessageContaining("endpoints.health");
  }

  @Test
  void refusesBadIdsSequenceNumbersAndVersions() {
    AgentReport s = sample();
    assertThatThrownBy(() -> new AgentReport(1, "bad id with spaces", 1, 1, 5000, null, null, s.host(), s.gpu(), null))
        .hasMessageContaining("agentId");
    assertThatThrownBy(() -> new AgentReport(1, "a", 0, 1, 5000, null, null, s.host(), s.gpu(), null))
        .hasMessageContaining("seq");
    assertThatThrownBy(() -> new AgentReport(99, "a", 1, 1, 5000, null, null, s.host(), s.gpu(), null))
        .hasMessageContaining("version");
  }

  @Test
  void refusesMoreErrorsThanRequests() {
    assertThatThrownBy(() -> new ServerStats(true, null, "vllm", 1L, 2L, null, null, null, null, null, null, 0))
        .hasMessageContaining("scrape.errors");
  }

  @Test
  void agentCheckRepliesFollowTheState() {
    assertThat(RoutingState.ACTIVE.agentCheckReply()).startsWith("ready");
    assertThat(RoutingState.DRAINING.agentCheckReply()).isEqualTo("drain");
    assertThat(RoutingState.DRAINED.agentCheckReply()).isEqualTo("drain");
    assertThat(RoutingState.MAINTENANCE.agentCheckReply()).isEqualTo("maint");
  }
}
