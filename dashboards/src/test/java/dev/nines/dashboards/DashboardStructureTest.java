package dev.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each dashboard is ready for file provisioning and self-consistent. */
class DashboardStructureTest {
  static final Map<String, String> EXPECTED = Map.of(
      "nines-fleet.json", "nines-fleet",
      "nines-pool-slo.json", "nines-pool-slo",
      "nines-host.json", "nines-host",
      "nines-self.json", "nines-self");

  /** {@code $name}, {@code ${name}}, {@code ${name:fmt}}, {@code [[name]]}; Grafana's own {@code $__...} excluded. */
  static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[^}]*)?}|\\$([A-Za-z0-9_]+)|\\[\\[([A-Za-z0-9_]+)]]");

  @TempDir Path tmp;

  static Set<String> variablesUsed(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      if (!name.startsWith("__")) {
        out.add(name);
      }
    }
    return out;
  }

  @Test
  void theFourDashboardsExistWithTheirStableUids() {
    Map<String, String> found = new java.util.TreeMap<>();
    for (Path f : Artifacts.dashboardFiles()) {
      found.put(f.getFileName().toString(), Artifacts.readJson(f).path("uid").asText());
    }
    assertThat(found).isEqualTo(new java.util.TreeMap<>(EXPECTED));
  }

  @Test
  void everyDashboardHasATitleASchemaVersionAndADatasourceVariable() {
    Set<String> titles = new HashSet<>();
    for (Path f : Artifacts.dashboardFiles()) {
      JsonNode d = Artifacts.readJson(f);
      assertThat(d.path("title").asText()).as(f + " title").isNotBlank();
      assertThat(titles.add(d.path("title").asText())).as(f + " title is unique").isTrue();
      assertThat(d.path("schemaVersion").asInt()).as(f + " schemaVersion").isBetween(36, 41);
      assertThat(d.has("id") && !d.path("id").isNull()).as(f + " has no fixed id (provisioning assigns one)").isFalse();
      JsonNode ds = variable(d, "datasource");
      assertThat(ds).as(f + " datasource variable").isNotNull();
      assertThat(ds.path("type").asText()).isEqualTo("datasource");
      assertThat(ds.path("query").asText()).isEqualTo("prometheus");
    }
  }

  @Test
  void everyPanelReadsTheDatasourceVariableAndHasTargetsWithAnExpr() {
    for (Path f : Artifacts.dashboardFiles()) {
      List<JsonNode> panels = Artifacts.panels(Artifacts.readJson(f));
      assertThat(panels).as(f + " panels").hasSizeGreaterThanOrEqualTo(5);
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : panels) {
        String where = f.getFileName() + " panel '" + p.path("title").asText() + "'";
        assertThat(p.path("title").asText()).as(where + " title").isNotBlank();
        assertThat(p.path("description").asText()).as(where + " description").isNotBlank();
        assertThat(ids.add(p.path("id").asInt())).as(where + " id unique").isTrue();
        assertThat(p.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo("${datasource}");
        assertThat(p.path("datasource").path("type").asText()).as(where + " datasource type").isEqualTo("prometheus");
        assertThat(p.path("targets")).as(where + " targets").isNotEmpty();
        for (JsonNode t : p.path("targets")) {
          assertThat(t.path("expr").asText()).as(where + " target " + t.path("refId").asText() + " expr").isNotBlank();
          assertThat(t.path("refId").asText()).as(where + " refId").isNotBlank();
          if (t.has("datasource")) {
            assertThat(t.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo("${datasource}");
          }
        }
        JsonNode g = p.path("gridPos");
        assertThat(g.path("w").asInt()).as(where + " width").isBetween(1, 24);
        assertThat(g.path("x").asInt() + g.path("w").asInt()).as(where + " fits the grid").isLessThanOrEqualTo(24);
      }
    }
  }

  @Test
  void everyVariableUsedIsDefinedInTemplating() {
    for (Path f : Artifacts.dashboardFiles()) {
      JsonNode d = Artifacts.readJson(f);
      Set<String> defined = new HashSet<>();
      for (JsonNode v : d.path("templating").path("list")) {
        defined.add(v.path("name").asText());
      }
      Set<String> used = variablesUsed(d.toString());
      assertThat(used).as(f + " uses").isNotEmpty();
      assertThat(defined).as(f + ": variables used but not defined").containsAll(used);
    }
  }

  @Test
  void poolAndHostVariablesComeFromLabelValuesAndNoHostIsHardCoded() {
    for (Path f : Artifacts.dashboardFiles()) {
      JsonNode d = Artifacts.readJson(f);
      for (String name : List.of("pool", "host")) {
        JsonNode v = variable(d, name);
        if (v != null) {
          assertThat(v.path("type").asText()).isEqualTo("query");
          assertThat(Artifacts.variableQuery(v)).as(f + " " + name).startsWith("label_values(").endsWith(", " + name + ")");
          assertThat(v.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        }
      }
      for (Artifacts.Query q : queriesOf(f)) {
        assertThat(q.expr()).as(q.where()).doesNotContainPattern("host\\s*=~?\\s*\"[^$\"]").doesNotContainPattern("pool\\s*=~?\\s*\"[^$\"]");
      }
    }
  }

  @Test
  void everyDashboardExprIsValidPromQlOnceVariablesAreFilledIn() {
    // promtool parses each expr as a recording rule: a syntax error in any panel fails here
    Promtool promtool = Promtool.require();
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    List<Artifacts.Query> queries = Artifacts.dashboardQueries();
    assertThat(queries).hasSizeGreaterThan(40);
    int i = 0;
    for (Artifacts.Query q : queries) {
      String expr = q.expr()
          .replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
          .replace("$pool", ".*").replace("$host", ".+").replace("$agent", ".*");
      assertThat(expr).as(q.where() + ": a variable left").doesNotContain("$");
      rules.append("      - record: dashboard_expr_").append(i++).append("\n        expr: '")
          .append(expr.replace("'", "''")).append("'\n");
    }
    Path file = tmp.resolve("dashboard-exprs.yaml");
    try {
      Files.writeString(file, rules.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Promtool.Result r = promtool.run(tmp, null, "check", "rules", file.getFileName().toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void thePoolSloDashboardsTargetLineIsTheServersTargetAndNoVariable() {
    JsonNode d = Artifacts.readJson(Artifacts.path("grafana/nines-pool-slo.json"));
    for (JsonNode v : d.path("templating").path("list")) {
      assertThat(v.path("name").asText()).as("pool SLO variables").isNotEqualTo("target");
    }
    JsonNode panel = panel(d, "Availability vs target");
    assertThat(panel.path("targets").findValuesAsText("expr"))
        .anySatisfy(e -> assertThat(e).contains("nines_pool_slo_target_ratio").contains("$pool"));
  }

  @Test
  void theHostDashboardShowsGpuXidErrorsOfTheSelectedHosts() {
    JsonNode panel = panel(Artifacts.readJson(Artifacts.path("grafana/nines-host.json")), "GPU XID errors");
    assertThat(panel.path("targets").findValuesAsText("expr"))
        .singleElement()
        .satisfies(e -> assertThat(e).contains("nines_gpu_xid_errors_total").contains("$host").contains("$pool"));
  }

  private static JsonNode panel(JsonNode dashboard, String title) {
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("title").asText().equals(title)) {
        return p;
      }
    }
    throw new AssertionError("no panel '" + title + "' in " + dashboard.path("uid").asText());
  }

  @Test
  void thePoolSloDashboardMarksIncidentsWithAnAnnotation() {
    JsonNode d = Artifacts.readJson(Artifacts.path("grafana/nines-pool-slo.json"));
    JsonNode a = d.path("annotations").path("list").get(0);
    assertThat(a.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
    assertThat(a.path("expr").asText()).contains("nines_pool_state").contains("DOWN");
  }

  @Test
  void variableScanFindsEveryForm() {
    assertThat(variablesUsed("a{x=~\"$pool\"} ${host} ${agent:regex} [[gpu]] $__rate_interval"))
        .containsExactly("pool", "host", "agent", "gpu");
  }

  private static List<Artifacts.Query> queriesOf(Path f) {
    List<Artifacts.Query> out = new ArrayList<>();
    for (Artifacts.Query q : Artifacts.dashboardQueries()) {
      if (q.where().startsWith(f.getFileName().toString())) {
        out.add(q);
      }
    }
    return out;
  }

  private static JsonNode variable(JsonNode d, String name) {
    for (JsonNode v : d.path("templating").path("list")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    return null;
  }
}
