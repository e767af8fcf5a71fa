package dev.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule files pass promtool, every alert has unit tests both ways, and every alert is labelled and annotated. */
class PrometheusRulesTest {
  @TempDir Path tmp;

  @Test
  void promtoolChecksBothRuleFiles() {
    Promtool promtool = Promtool.require();
    Promtool.Result r = promtool.run(Artifacts.moduleDir(), null, "check", "rules",
        Artifacts.RECORDING_RULES, Artifacts.ALERTING_RULES);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void promtoolPassesEveryRuleUnitTestFile() {
    Promtool promtool = Promtool.require();
    List<Path> files = Artifacts.ruleTestFiles();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Promtool.Result r = promtool.run(file.getParent(), null, "test", "rules", file.getFileName().toString());
      assertThat(r.exitCode()).as(file + ": " + r.output()).isZero();
      assertThat(r.output()).as(file.toString()).contains("SUCCESS");
    }
  }

  @Test
  void promtoolFailsAUnitTestThatExpectsTheWrongAlert() throws Exception {
    // the harness itself can fail: a copy of a test file that expects a quiet alert to fire
    Promtool promtool = Promtool.require();
    Path copy = tmp.resolve("wrong.yaml");
    Files.writeString(copy, """
        rule_files:
          - %s
          - %s
        evaluation_interval: 30s
        tests:
          - interval: 30s
            input_series:
              - series: 'nines_pool_state{pool="llama",state="DOWN",instance="s1:7070",job="nines-server"}'
                values: '0x10'
            alert_rule_test:
              - eval_time: 3m
                alertname: NinesPoolBelowGuard
                exp_alerts:
                  - exp_labels: {severity: critical, pool: llama, state: DOWN}
        """.formatted(Artifacts.path(Artifacts.RECORDING_RULES), Artifacts.path(Artifacts.ALERTING_RULES)));
    Promtool.Result r = promtool.run(tmp, null, "test", "rules", "wrong.yaml");
    assertThat(r.exitCode()).as(r.output()).isNotZero();
  }

  @Test
  void theExampleScrapeConfigLoadsWithTheRules() {
    Promtool promtool = Promtool.require();
    Promtool.Result r = promtool.run(Artifacts.moduleDir(), null, "check", "config", "prometheus/prometheus.example.yaml");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysQuiet() {
    Set<String> fires = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (Path file : Artifacts.ruleTestFiles()) {
      for (JsonNode test : Artifacts.readYaml(file).path("tests")) {
        for (JsonNode case_ : test.path("alert_rule_test")) {
          String name = case_.path("alertname").asText();
          if (case_.path("exp_alerts").isEmpty()) {
            quiet.add(name);
          } else {
            fires.add(name);
          }
        }
      }
    }
    Set<String> alerts = new TreeSet<>();
    Artifacts.rules(Artifacts.ALERTING_RULES).forEach(r -> alerts.add(r.name()));
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
    assertThat(alerts).as("alerts without a test where they fire").allSatisfy(a -> assertThat(fires).contains(a));
    assertThat(alerts).as("alerts without a test where they stay quiet").allSatisfy(a -> assertThat(quiet).contains(a));
  }

  @Test
  void theSreWorkbookBurnRatePairsAreThere() {
    List<String> exprs = Artifacts.rules(Artifacts.ALERTING_RULES).stream().map(Artifacts.Rule::expr).toList();
    assertThat(exprs)
        .contains("pool:nines_burn_rate:1h > 14.4 and pool:nines_burn_rate:5m > 14.4")
        .contains("pool:nines_burn_rate:6h > 6 and pool:nines_burn_rate:30m > 6")
        .contains("pool:nines_burn_rate:3d > 1 and pool:nines_burn_rate:6h > 1");
  }

  @Test
  void everyAlertHasASeverityASummaryAndADescription() {
    for (Artifacts.Rule r : Artifacts.rules(Artifacts.ALERTING_RULES)) {
      assertThat(r.alert()).as(r.name()).isTrue();
      assertThat(r.name()).startsWith("Nines");
      assertThat(r.labels().get("severity")).as(r.name() + " severity").isIn("critical", "warning");
      assertThat(r.annotations().get("summary")).as(r.name() + " summary").isNotBlank();
      assertThat(r.annotations().get("description")).as(r.name() + " description").isNotBlank();
    }
  }

  @Test
  void recordingRuleNamesFollowLevelMetricOperations() {
    for (String name : Artifacts.recordedNames()) {
      assertThat(name).as(name).matches("[a-z_]+:nines_[a-z0-9_]+:[a-z0-9_]+");
    }
  }
}
