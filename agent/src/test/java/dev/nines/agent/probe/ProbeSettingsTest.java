package dev.nines.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeSettingsTest {

  @Test
  void defaultsAreAutomaticHealthMetricsGenerationAndTheDocumentedLimits() {
    ProbeSettings s = ProbeSettings.defaults();

    assertThat(s.healthPath()).isNull();
    assertThat(s.metricsPath()).isEqualTo("/metrics");
    assertThat(s.generation()).isTrue();
    assertThat(s.model()).isNull();
    assertThat(s.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.generationTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.scrapeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.longestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.withGeneration(false).longestTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void acceptsRelativePathsAndWholeUrls() {
    ProbeSettings s =
        ProbeSettings.defaults()
            .withHealthPath("/v2/health/ready")
            .withMetricsPath("http://triton:8002/metrics");

    assertThat(s.healthPath()).isEqualTo("/v2/health/ready");
    assertThat(s.metricsPath()).isEqualTo("http://triton:8002/metrics");
  }

  @Test
  void refusesBadPathsNamingTheField() {
    assertThatThrownBy(() -> ProbeSettings.defaults().withHealthPath("health"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probe.healthPath");
    assertThatThrownBy(() -> ProbeSettings.defaults().withMetricsPath("/me trics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probe.metricsPath");
  }

  @Test
  void refusesLimitsOutsideOneMillisecondToFiveMinutes() {
    assertThatThrownBy(() -> ProbeSettings.defaults().withHealthTimeout(Duration.ZERO))
        .hasMessageContaining("probe.healthTimeout");
    assertThatThrownBy(() -> ProbeSettings.defaults().withGenerationTimeout(Duration.ofMillis(-5)))
        .hasMessageContaining("probe.generationTimeout");
    assertThatThrownBy(() -> ProbeSettings.defaults().withScrapeTimeout(Duration.ofMinutes(6)))
        .hasMessageContaining("probe.scrapeTimeout");
  }

  @Test
  void refusesABlankModel() {
    assertThatThrownBy(() -> ProbeSettings.defaults().withModel(" "))
        .hasMessageContaining("probe.model");
  }
}
