package dev.nines.server.health;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HealthRulesValidationTest {

  private static void refused(UnaryOperator<HealthRules.Builder> change, String field) {
    HealthRules.Builder b = change.apply(HealthRules.defaults().toBuilder());
    assertThatIllegalArgumentException().isThrownBy(b::build).withMessageStartingWith(field + " ");
  }

  @Test
  void invalidConfigIsRefusedWithTheFieldName() {
    refused(b -> b.staleAfterIntervals(0), "staleAfterIntervals");
    refused(b -> b.staleGrace(Duration.ofSeconds(-1)), "staleGrace");
    refused(b -> b.staleGrace(null), "staleGrace");
    refused(b -> b.generationFailures(0), "generationFailures");
    refused(b -> b.errorWindowReports(0), "errorWindowReports");
    refused(b -> b.errorMinRequests(0), "errorMinRequests");
    refused(b -> b.errorRatioDegraded(1.5), "errorRatioDegraded");
    refused(b -> b.errorRatioDegraded(Double.NaN), "errorRatioDegraded");
    refused(b -> b.errorRatioDegraded(0.3).errorRatioUnhealthy(0.2), "errorRatioUnhealthy");
    refused(b -> b.latencyP95LimitMs(-5.0), "latencyP95LimitMs");
    refused(b -> b.latencyP95LimitMs(Double.POSITIVE_INFINITY), "latencyP95LimitMs");
    refused(b -> b.latencyVsPoolFactor(1.0), "latencyVsPoolFactor");
    refused(b -> b.latencyVsPoolReports(0), "latencyVsPoolReports");
    refused(b -> b.latencyPoolMinMembers(1), "latencyPoolMinMembers");
    refused(b -> b.gpuTemperatureDegradedC(Double.NaN), "gpuTemperatureDegradedC");
    refused(b -> b.gpuTemperatureUnhealthyC(80), "gpuTemperatureUnhealthyC");
    refused(b -> b.fatalXids(null), "fatalXids");
    Set<Long> withNegative = new HashSet<>(Set.of(48L, -1L));
    refused(b -> b.fatalXids(withNegative), "fatalXids");
    refused(b -> b.memoryAvailableMinRatio(-0.1), "memoryAvailableMinRatio");
    refused(b -> b.failAfter(0), "failAfter");
    refused(b -> b.recoverAfter(0), "recoverAfter");
  }

  @Test
  void poolConfigWithoutRulesIsRefusedWithThePoolName() {
    java.util.Map<String, HealthRules> pools = new java.util.HashMap<>();
    pools.put("llama", null);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new HealthConfig(HealthRules.defaults(), pools))
        .withMessageContaining("health.pools.llama");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new HealthConfig(null, Map.of()))
        .withMessageContaining("health.defaults");
  }

  @Test
  void validOverridesAreAccepted() {
    HealthRules r =
        HealthRules.defaults().toBuilder()
            .failAfter(1).recoverAfter(5).fatalXids(Set.of()).latencyP95LimitMs(2000.0)
            .staleGrace(Duration.ZERO).build();
    org.assertj.core.api.Assertions.assertThat(r.recoverAfter()).isEqualTo(5);
    org.assertj.core.api.Assertions.assertThat(r.fatalXids()).isEmpty();
  }
}
