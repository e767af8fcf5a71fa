package dev.nines.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The module's files: the Grafana dashboards, the Prometheus rule files and their unit tests. */
final class Artifacts {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String RECORDING_RULES = "prometheus/recording-rules.yaml";
  static final String ALERTING_RULES = "prometheus/alerting-rules.yaml";

  private Artifacts() {}

  /** One PromQL expression and where it was found, for messages. */
  record Query(String where, String expr) {}

  /** One rule of a rule file: {@code record} or {@code alert} is its name. */
  record Rule(String file, String name, boolean alert, String expr, Map<String, String> labels,
      Map<String, String> annotations) {}

  /** The module's directory: the working directory under Maven, or {@code dashboards/} below it. */
  static Path moduleDir() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.isDirectory(here.resolve("grafana"))) {
      return here;
    }
    Path below = here.resolve("dashboards");
    if (Files.isDirectory(below.resolve("grafana"))) {
      return below;
    }
    throw new IllegalStateException("no grafana/ in " + here + " or " + below);
  }

  static Path path(String relative) {
    return moduleDir().resolve(relative);
  }

  /** The dashboards, {@code grafana/*.json}, sorted by name. */
  static List<Path> dashboardFiles() {
    return list(moduleDir().resolve("grafana"), ".json");
  }

  /** The promtool unit-test files, {@code prometheus/tests/*.yaml}, sorted by name. */
  static List<Path> ruleTestFiles() {
    return list(moduleDir().resolve("prometheus/tests"), ".yaml");
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every panel of a dashboard, rows' collapsed panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      for (JsonNode inner : p.path("panels")) {
        out.add(inner);
      }
    }
    return out;
  }

  /** {@code label_values(expr, label)} or {@code query_result(expr)}: the expr; {@code label_values(label)}: none. */
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

  /** The PromQL inside a templating variable's query, or null when it reads no metric. */
  static String variableExpr(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (m.matches()) {
      return m.group(1);
    }
    m = QUERY_RESULT.matcher(query);
    if (m.matches()) {
      return m.group(1);
    }
    return null;
  }

  /** The query text of a templating variable (a string, or an object with {@code query}). */
  static String variableQuery(JsonNode variable) {
    JsonNode q = variable.path("query");
    return q.isObject() ? q.path("query").asText("") : q.asText("");
  }

  /** Every expression of every dashboard: panel targets, query variables, annotations. */
  static List<Query> dashboardQueries() {
    List<Query> out = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = readJson(file);
      String name = file.getFileName().toString();
      for (JsonNode p : panels(d)) {
        for (JsonNode t : p.path("targets")) {
          out.add(new Query(name + " panel '" + p.path("title").asText() + "' target " + t.path("refId").asText(),
              t.path("expr").asText("")));
        }
      }
      for (JsonNode v : d.path("templating").path("list")) {
        if ("query".equals(v.path("type").asText())) {
          String expr = variableExpr(variableQuery(v));
          if (expr != null) {
            out.add(new Query(name + " variable " + v.path("name").asText(), expr));
          }
        }
      }
      for (JsonNode a : d.path("annotations").path("list")) {
        if (a.hasNonNull("expr")) {
          out.add(new Query(name + " annotation '" + a.path("name").asText() + "'", a.path("expr").asText()));
        }
      }
    }
    return out;
  }

  /** The rules of one rule file, in order. */
  static List<Rule> rules(String relative) {
    List<Rule> out = new ArrayList<>();
    JsonNode root = readYaml(path(relative));
    for (JsonNode group : root.path("groups")) {
      for (JsonNode r : group.path("rules")) {
        boolean alert = r.has("alert");
        out.add(new Rule(relative, alert ? r.path("alert").asText() : r.path("record").asText(), alert,
            r.path("expr").asText(), strings(r.path("labels")), strings(r.path("annotations"))));
      }
    }
    return out;
  }

  static List<Rule> allRules() {
    List<Rule> out = new ArrayList<>(rules(RECORDING_RULES));
    out.addAll(rules(ALERTING_RULES));
    return out;
  }

  /** The names the recording rules define. */
  static Set<String> recordedNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Rule r : rules(RECORDING_RULES)) {
      out.add(r.name());
    }
    return out;
  }

  /** Every expression of every rule. */
  static List<Query> ruleQueries() {
    return allRules().stream().map(r -> new Query(r.file() + " " + r.name(), r.expr())).toList();
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
