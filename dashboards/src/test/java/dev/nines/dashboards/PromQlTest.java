package dev.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsTheMetricOfASelectorAndSkipsItsLabelMatchers() {
    assertThat(PromQl.metricNames("nines_gpu_temperature_celsius{host=~\"$host\", gpu!=\"sum(x)\"}"))
        .containsExactly("nines_gpu_temperature_celsius");
  }

  @Test
  void skipsFunctionsAggregationsAndTheirLabelLists() {
    assertThat(PromQl.metricNames(
            "sum by (pool, state) (rate(nines_ingest_reports_total{outcome=\"stored\"}[$__rate_interval]))"
                + " / ignoring(state) group_left(pool) sum without (instance) (nines_pool_members)"))
        .containsExactly("nines_ingest_reports_total", "nines_pool_members");
  }

  @Test
  void skipsAnAggregationsTrailingByClause() {
    assertThat(PromQl.metricNames("max(nines_pool_state) by (pool) > bool 0"))
        .containsExactly("nines_pool_state");
  }

  @Test
  void skipsNumbersDurationsOffsetsAndKeywords() {
    assertThat(PromQl.metricNames(
            "a_metric > 14.4 and b_metric offset 1h30m > 1e-3 or on() vector(0) unless c:recorded:5m"))
        .containsExactly("a_metric", "b_metric", "c:recorded:5m");
  }

  @Test
  void skipsGrafanaVariablesAndStrings() {
    assertThat(PromQl.metricNames("label_replace(m{a=\"b\"}, \"dst\", \"$1\", \"src\", \"(.*)\") * ${factor}"))
        .containsExactly("m");
  }

  @Test
  void keepsANameThatOnlyLooksLikeAKeywordPrefix() {
    assertThat(PromQl.metricNames("order_total + byte_count + on_fire")).containsExactly("order_total", "byte_count", "on_fire");
  }

  @Test
  void refusesUnbalancedBrackets() {
    assertThatThrownBy(() -> PromQl.metricNames("sum(rate(m[5m))")).isInstanceOf(IllegalArgumentException.class);
  }
}
