package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.json;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.rows;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.Protocol;
import dev.nines.server.api.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws malformed, mistyped, oversized and unauthorised requests at a real server. The oracle for
 * a report body is the protocol itself: a body that the wire mapper refuses must get a 4xx and
 * change nothing; one that it accepts must be stored. Whatever comes in, the answer is never a 5xx.
 * Each case is derived from a fixed seed, so a failure names the case that reproduces it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzTest {
  private static final long SEED = 0x5eed_0009L;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper WIRE = Json.api();

  @TempDir static Path dir;
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String viewer;
  String operator;
  long nextSeq = 1;

  @BeforeAll
  void start() {
    server = Fixtures.start(dir);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "fuzz agent");
    viewer = server.createToken("viewer", "fuzz viewer");
    operator = server.createToken("operator", "fuzz operator");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void mutatedReportsAreRefusedWith4xxAndStoreNothingUnlessTheProtocolAcceptsThem() throws Exception {
    Random random = new Random(SEED);
    int refused = 0;
    int accepted = 0;
    for (int i = 0; i < 400; i++) {
      long seq = nextSeq++;
      ObjectNode valid = (ObjectNode) tree(json(report("fuzz-" + (i % 7), seq, 0.3, 60)));
      Mutation m = mutate(valid, random);
      byte[] body = m.body();
      long before = rows(dir, "reports");
      HttpResponse<String> r = postBytes(Protocol.REPORTS_PATH, agent, body);
      long after = rows(dir, "reports");
      String what = "case " + i + " (" + m.name() + "): " + r.statusCode() + " " + r.body();

      assertThat(r.statusCode()).as(what).isLessThan(500);
      if (protocolAccepts(body)) {
        assertThat(r.statusCode()).as(what).isEqualTo(200);
        assertThat(after).as(what).isEqualTo(before + (tree(r.body()).get("duplicate").asBoolean() ? 0 : 1));
        accepted++;
      } else {
        assertThat(r.statusCode()).as(what).isBetween(400, 499);
        assertThat(tree(r.body()).get("error").asText()).as(what).isNotBlank();
        assertThat(after).as(what).isEqualTo(before);
        refused++;
      }
    }
    // The mutations must mostly break the report, or the test proves little.
    assertThat(refused).isGreaterThan(250);
    assertThat(accepted).isGreaterThan(0);
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void bodiesThatAreNotReportsAtAllAre4xx() throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    bodies.add(new byte[0]);
    bodies.add("null".getBytes(StandardCharsets.UTF_8));
    bodies.add("[]".getBytes(StandardCharsets.UTF_8));
    bodies.add("\"report\"".getBytes(StandardCharsets.UTF_8));
    bodies.add("42".getBytes(StandardCharsets.UTF_8));
    bodies.add("{".repeat(50_000).getBytes(StandardCharsets.UTF_8));
    bodies.add("[".repeat(200_000).getBytes(StandardCharsets.UTF_8));
    bodies.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3});
    bodies.add(("{\"version\":1,\"agentId\":\"x\",\"seq\":1,\"labels\":{\"k\":\"" + "v".repeat(Protocol.MAX_REPORT_BYTES + 10) + "\"}}").getBytes(StandardCharsets.UTF_8));
    byte[] huge = new byte[8 * Protocol.MAX_REPORT_BYTES];
    java.util.Arrays.fill(huge, (byte) ' ');
    bodies.add(huge);
    long before = rows(dir, "reports");
    for (byte[] body : bodies) {
      HttpResponse<String> r = postBytes(Protocol.REPORTS_PATH, agent, body);
      String what = body.length + " bytes starting " + new String(body, 0, Math.min(12, body.length), StandardCharsets.ISO_8859_1);
      assertThat(r.statusCode()).as(what).isBetween(400, 499);
    }
    assertThat(rows(dir, "reports")).isEqualTo(before);
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void replayedSequenceNumbersAreAcknowledgedAsDuplicatesAndChangeNothing() {
    long seq = nextSeq++;
    assertThat(api.postReport(agent, report("replay-host", seq, 0.1, 55)).statusCode()).isEqualTo(200);
    long before = rows(dir, "reports");
    String figures = tree(api.get("/api/v1/hosts/replay-host", viewer).body()).get("summary").toString();
    for (int i = 0; i < 20; i++) {
      // Same (agent, seq), different content: the stored report wins; the agent may drop its copy.
      HttpResponse<String> again = api.postReport(agent, report("replay-host", seq, 0.9 - i * 0.01, 90));
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(tree(again.body()).get("duplicate").asBoolean()).isTrue();
    }
    assertThat(rows(dir, "reports")).isEqualTo(before);
    assertThat(tree(api.get("/api/v1/hosts/replay-host", viewer).body()).get("summary").toString()).isEqualTo(figures);
  }

  @Test
  void badTokensAre401AndStoreNothing() throws Exception {
    long before = rows(dir, "reports");
    String body = json(report("token-host", nextSeq++, 0.1, 55));
    List<String> headers =
        List.of(
            "", "Bearer", "Bearer ", "Bearer  ", "Basic " + agent, "Token " + agent, agent,
            "Bearer " + agent + "x", "Bearer x" + agent, "Bearer " + agent.substring(1),
            "Bearer " + agent.toUpperCase(), "Bearer " + "a".repeat(10_000), "Bearer \u00e9\u00e8",
            "Bearer " + agent + " " + agent, "Bearer null", "Bearer ' OR 1=1 --");
    for (String header : headers) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(api.base + Protocol.REPORTS_PATH))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (!header.isEmpty()) {
        b.header("Authorization", header);
      }
      HttpResponse<String> r = api.send(b.build());
      // Jetty refuses a header over its 8 KiB limit itself (431), before any route sees it.
      int expected = header.length() > 8192 ? 431 : 401;
      assertThat(r.statusCode()).as("Authorization: " + abbreviate(header)).isEqualTo(expected);
      assertThat(tree(r.body()).get("error").asText()).isNotBlank();
      HttpResponse<String> read = api.send(withHeader(HttpRequest.newBuilder(URI.create(api.base + "/api/v1/hosts")), header).GET().build());
      assertThat(read.statusCode()).as("GET hosts, Authorization: " + abbreviate(header)).isEqualTo(expected);
    }
    assertThat(rows(dir, "reports")).isEqualTo(before);
  }

  @Test
  void aTokenDifferingOnlyInCaseIsRefusedEvenRightAfterTheRealOneOnTheSameConnection() {
    // Jetty's header cache once matched a repeated Authorization value case-insensitively.
    String swapped = swapCase(viewer);
    for (int i = 0; i < 30; i++) {
      assertThat(api.get("/api/v1/hosts", viewer).statusCode()).isEqualTo(200);
      assertThat(api.get("/api/v1/hosts", swapped).statusCode()).as("attempt " + i).isEqualTo(401);
      assertThat(api.get("/api/v1/hosts", viewer.toUpperCase()).statusCode()).as("attempt " + i).isEqualTo(401);
    }
  }

  private static String swapCase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return sb.toString();
  }

  @Test
  void garbageIdsAndQueryParametersAre4xxOr200NeverServerErrors() {
    Random random = new Random(SEED + 1);
    assertThat(api.postReport(agent, report("known-host", nextSeq++, 0.1, 55)).statusCode()).isEqualTo(200);
    List<String> templates =
        List.of(
            "/api/v1/hosts/%s", "/api/v1/hosts/%s/health", "/api/v1/hosts/known-host/health?from=%s",
            "/api/v1/hosts/%s/routing", "/api/v1/hosts/known-host/routing?from=%s",
            "/api/v1/hosts/known-host/routing?from=%s&to=%s",
            "/api/v1/hosts/known-host/health?to=%s", "/api/v1/hosts/known-host/health?from=%s&to=%s",
            "/api/v1/hosts?limit=%s", "/api/v1/hosts/known-host/metrics?from=%s",
            "/api/v1/hosts/known-host/metrics?step=%s", "/api/v1/hosts/known-host/metrics?metric=%s",
            "/api/v1/hosts/known-host/metrics?from=%s&to=%s", "/api/v1/hosts/%s/metrics",
            "/api/v1/pools/%s", "/api/v1/availability?pool=%s", "/api/v1/availability?host=%s",
            "/api/v1/availability?pool=llama&from=%s&to=%s", "/api/v1/availability?host=known-host&to=%s",
            "/api/v1/availability?pool=llama&host=%s", "/api/v1/incidents?state=%s", "/api/v1/incidents?kind=%s",
            "/api/v1/incidents?limit=%s", "/api/v1/incidents?cursor=%s", "/api/v1/incidents?from=%s&to=%s",
            "/api/v1/incidents/%s", "/api/v1/audit?cursor=%s", "/api/v1/audit?limit=%s",
            "/api/v1/audit?from=%s", "/api/v1/tokens?cursor=%s", "/api/v1/tokens?limit=%s",
            "/api/v1/reports/uptime?from=%s", "/api/v1/reports/uptime?to=%s", "/api/v1/reports/uptime?pool=%s",
            "/api/v1/reports/uptime?host=%s", "/api/v1/reports/uptime?format=%s", "/api/v1/pools/%s/routing",
            "/api/v1/pools/%s/config", "/api/v1/alerts?state=%s", "/api/v1/alerts?limit=%s",
            "/api/v1/alerts?cursor=%s", "/api/v1/alerts?severity=%s&pool=%s", "/api/v1/alerts/%s",
            "/api/v1/silences?limit=%s", "/api/v1/silences?cursor=%s", "/api/v1/maintenance-windows?active=%s",
            "/api/v1/maintenance-windows?host=%s&limit=%s", "/api/v1/maintenance-windows/%s",
            "/api/v1/webhooks/%s", "/api/v1/deliveries?state=%s", "/api/v1/deliveries?receiver=%s&cursor=%s",
            "/api/v1/deliveries?limit=%s");
    for (int i = 0; i < 600; i++) {
      String template = templates.get(random.nextInt(templates.size()));
      String path = template.replace("%s", encode(garbage(random)));
      // The audit log is for operators and tokens for admins; everything else reads as a viewer.
      String token =
          path.startsWith("/api/v1/tokens") || path.startsWith("/api/v1/webhooks") || path.startsWith("/api/v1/deliveries")
              ? ADMIN
              : path.startsWith("/api/v1/audit") ? operator : viewer;
      HttpResponse<String> r = api.get(path, token);
      String what = "GET " + abbreviate(path) + " -> " + r.statusCode() + " " + abbreviate(r.body());
      assertThat(r.statusCode()).as(what).isLessThan(500);
      if (r.statusCode() >= 400) {
        assertThat(r.body()).as(what).startsWith("{");
        assertThat(tree(r.body()).get("error").asText()).as(what).isNotBlank();
      }
    }
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedRoutingAndPoolConfigRequestsAre4xxAndChangeNothing() {
    Random random = new Random(SEED + 2);
    assertThat(api.postReport(agent, report("known-host", nextSeq++, 0.1, 55)).statusCode()).isEqualTo(200);
    List<String> fields = List.of("reason", "timeout", "force", "dryRun", "until", "minActive", "sides", "cooldown");
    List<String> paths =
        List.of(
            "/api/v1/hosts/known-host/drain", "/api/v1/hosts/known-host/maintenance", "/api/v1/hosts/known-host/undrain",
            "/api/v1/pools/llama/failover", "/api/v1/hosts/%s/drain", "/api/v1/pools/%s/failover");
    long audited = rows(dir, "audit");
    for (int i = 0; i < 300; i++) {
      String path = paths.get(random.nextInt(paths.size())).replace("%s", encode(garbage(random) + "x"));
      StringBuilder body = new StringBuilder("{");
      int n = random.nextInt(3);
      for (int f = 0; f < n; f++) {
        String field = fields.get(random.nextInt(fields.size()));
        // reason is never a valid string here, so that nothing may change
        String value = field.equals("reason") ? "null" : "\"" + garbage(random).replace("\"", "") + "\"";
        body.append(f == 0 ? "" : ",").append('"').append(field).append("\":").append(value);
      }
      body.append(random.nextBoolean() ? "}" : "");
      boolean undrainOrFailover = path.endsWith("/undrain") || path.endsWith("/failover");
      String text = undrainOrFailover && body.length() <= 2 ? "{\"colour\": 1}" : body.toString();
      HttpResponse<String> r = api.post(path, operator, text);
      String what = "POST " + abbreviate(path) + " " + abbreviate(text) + " -> " + r.statusCode() + " " + abbreviate(r.body());
      assertThat(r.statusCode()).as(what).isLessThan(500);
      if (r.statusCode() >= 400) {
        assertThat(tree(r.body()).get("error").asText()).as(what).isNotBlank();
      } else {
        // An undrain of a host in rotation (its reason is optional) is a no-op, nothing else passes.
        assertThat(path).as(what).endsWith("/undrain");
        assertThat(tree(r.body()).get("changed").asBoolean()).as(what).isFalse();
      }
    }
    for (int i = 0; i < 100; i++) {
      String body = "{\"" + garbage(random).replace("\"", "") + "x\": " + (random.nextBoolean() ? "1" : "\"" + garbage(random).replace("\"", "") + "\"") + "}";
      HttpRequest put =
          HttpRequest.newBuilder(URI.create(api.base + "/api/v1/pools/llama/config"))
              .header("Authorization", "Bearer " + ADMIN)
              .timeout(Duration.ofSeconds(30))
              .PUT(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> r = api.send(put);
      assertThat(r.statusCode()).as(abbreviate(body) + " -> " + abbreviate(r.body())).isBetween(400, 499);
    }
    assertThat(tree(api.get("/api/v1/hosts/known-host", viewer).body()).path("routing").path("state").asText())
        .isEqualTo("ACTIVE");
    assertThat(rows(dir, "audit")).isEqualTo(audited);
    assertThat(rows(dir, "pool_overrides")).isZero();
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedAlertingWritesAre4xxAndChangeNothing() {
    Random random = new Random(SEED + 3);
    // (the alerts table is left out: the engine runs in the background; an acknowledgement is audited)
    List<String> tables = List.of("audit", "silences", "receivers", "outbox", "maintenance_windows");
    java.util.Map<String, Long> before = new java.util.TreeMap<>();
    tables.forEach(t -> before.put(t, rows(dir, t)));
    for (int i = 0; i < 400; i++) {
      String value = "\"" + garbage(random).replace("\"", "").replace("\\", "") + "\"";
      String other = random.nextBoolean() ? value : random.nextBoolean() ? "null" : "[" + value + "]";
      String path;
      String body;
      String token = operator;
      switch (random.nextInt(5)) {
        case 0 -> {
          // a silence without a usable comment
          path = "/api/v1/silences";
          body = "{\"matchers\": " + (random.nextBoolean() ? "[" + value + "]" : other) + ", \"comment\": "
              + (random.nextBoolean() ? "\"\"" : "null") + ", \"duration\": " + other + "}";
        }
        case 1 -> {
          // a receiver whose url is never an http URL
          path = "/api/v1/webhooks";
          token = ADMIN;
          body = "{\"id\": " + other + ", \"kind\": " + (random.nextBoolean() ? "\"webhook\"" : other)
              + ", \"url\": \"ftp:" + garbage(random).replace("\"", "").replace("\\", "") + "\"}";
        }
        case 2 -> {
          // a maintenance window without a comment
          path = "/api/v1/maintenance-windows";
          body = "{\"pool\": " + other + ", \"startsAt\": " + value + ", \"endsAt\": " + other + "}";
        }
        case 3 -> {
          path = "/api/v1/alerts/" + encode(garbage(random) + "x") + "/ack";
          body = "{\"comment\": " + other + "}";
        }
        default -> {
          path = "/api/v1/deliveries/" + encode(garbage(random) + "x") + "/redrive";
          token = ADMIN;
          body = "{}";
        }
      }
      if (random.nextInt(4) == 0) {
        body = body.substring(0, random.nextInt(body.length()));
      }
      HttpResponse<String> r = api.post(path, token, body);
      String what = "POST " + abbreviate(path) + " " + abbreviate(body) + " -> " + r.statusCode() + " " + abbreviate(r.body());
      assertThat(r.statusCode()).as(what).isBetween(400, 499);
      assertThat(tree(r.body()).get("error").asText()).as(what).isNotBlank();
    }
    for (String t : tables) {
      assertThat(rows(dir, t)).as("rows in " + t).isEqualTo(before.get(t));
    }
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedTokenRequestsAre4xxAndCreateNothing() {
    List<String> bodies =
        List.of(
            "", "{", "null", "[]", "{\"role\":\"root\",\"name\":\"x\"}", "{\"role\":\"viewer\"}",
            "{\"role\":\"viewer\",\"name\":\"\"}", "{\"role\":1,\"name\":\"x\"}",
            "{\"role\":\"viewer\",\"name\":\"" + "n".repeat(100_000) + "\"}", "{\"role\":null,\"name\":\"x\"}",
            "{\"role\":\"viewer\",\"name\":[\"x\"]}");
    long before = rows(dir, "tokens");
    long audited = rows(dir, "audit");
    for (String body : bodies) {
      HttpResponse<String> r = api.post("/api/v1/tokens", ADMIN, body);
      String what = abbreviate(body) + " -> " + r.statusCode() + " " + abbreviate(r.body());
      assertThat(r.statusCode()).as(what).isBetween(400, 499);
      assertThat(tree(r.body()).get("error").asText()).as(what).isNotBlank();
    }
    for (String id : List.of("tok_nope", "", "%00", "x".repeat(2000))) {
      HttpRequest delete =
          HttpRequest.newBuilder(URI.create(api.base + "/api/v1/tokens/" + encode(id)))
              .header("Authorization", "Bearer " + ADMIN)
              .timeout(Duration.ofSeconds(30))
              .DELETE()
              .build();
      assertThat(api.send(delete).statusCode()).as("DELETE " + abbreviate(id)).isBetween(400, 499);
    }
    assertThat(rows(dir, "tokens")).isEqualTo(before);
    assertThat(rows(dir, "audit")).isEqualTo(audited);
  }

  private static String garbage(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1 -> "-1";
      case 2 -> String.valueOf(Long.MAX_VALUE) + "0";
      case 3 -> "NaN";
      case 4 -> "2026-13-45T99:99:99Z";
      case 5 -> "../../etc/passwd";
      case 6 -> "x".repeat(1 + random.nextInt(3000));
      case 7 -> "\u0000\u0001\u00ff\ud83d\ude00";
      case 8 -> String.valueOf(random.nextLong());
      case 9 -> "1e999";
      case 10 -> "2026-11-29T00:00:00Z";
      default -> "' OR 1=1 --";
    };
  }

  private record Mutation(String name, byte[] body) {}

  private static Mutation mutate(ObjectNode valid, Random random) {
    int kind = random.nextInt(10);
    switch (kind) {
      case 0, 1, 2, 3 -> {
        List<Slot> leaves = new ArrayList<>();
        collect(valid, "", leaves);
        Slot slot = leaves.get(random.nextInt(leaves.size()));
        JsonNode replacement = oddValue(random);
        slot.set(replacement);
        return new Mutation("set " + slot.path() + " = " + abbreviate(replacement.toString()), bytes(valid));
      }
      case 4 -> {
        List<Slot> fields = new ArrayList<>();
        collect(valid, "", fields);
        Slot slot = fields.get(random.nextInt(fields.size()));
        slot.remove();
        return new Mutation("remove " + slot.path(), bytes(valid));
      }
      case 5 -> {
        byte[] text = bytes(valid);
        int cut = random.nextInt(text.length);
        return new Mutation("truncate at " + cut, java.util.Arrays.copyOf(text, cut));
      }
      case 6 -> {
        byte[] text = bytes(valid);
        int at = random.nextInt(text.length);
        String odd = "{}[]\",:x0-\\\u0000";
        text[at] = (byte) odd.charAt(random.nextInt(odd.length()));
        return new Mutation("byte " + at + " := " + (char) text[at], text);
      }
      case 7 -> {
        String text = new String(bytes(valid), StandardCharsets.UTF_8);
        String literal = List.of("NaN", "Infinity", "-Infinity", "1e400", "-0", "0x10", "01", "1.").get(random.nextInt(8));
        String mutated = text.replaceFirst("\"seq\":\\d+", "\"seq\":" + literal);
        if (random.nextBoolean()) {
          mutated = text.replaceFirst("\"cpuUtilRatio\":[0-9.eE-]+", "\"cpuUtilRatio\":" + literal);
        }
        return new Mutation("literal " + literal, mutated.getBytes(StandardCharsets.UTF_8));
      }
      case 8 -> {
        ArrayNode wrapped = NODES.arrayNode().add(valid);
        return new Mutation("wrapped in an array", bytes(wrapped));
      }
      default -> {
        String text = new String(bytes(valid), StandardCharsets.UTF_8);
        return new Mutation("trailing garbage", (text + List.of("}", "{}", " x", ",", "\u0000").get(random.nextInt(5))).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static JsonNode oddValue(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> NODES.textNode("fuzz");
      case 1 -> NODES.numberNode(-1);
      case 2 -> NODES.numberNode(-1.5);
      case 3 -> NODES.numberNode(Long.MAX_VALUE);
      case 4 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 5 -> NODES.nullNode();
      case 6 -> NODES.booleanNode(true);
      case 7 -> NODES.arrayNode().add(1);
      case 8 -> NODES.objectNode().put("x", 1);
      case 9 -> NODES.numberNode(2.5);
      case 10 -> NODES.numberNode(1e300);
      case 11 -> NODES.textNode("");
      case 12 -> NODES.textNode("x".repeat(5000));
      default -> NODES.numberNode(0);
    };
  }

  /** A settable, removable place in a JSON tree. */
  private record Slot(JsonNode parent, String field, int index, String path) {
    void set(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(field);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }

  private static void collect(JsonNode node, String path, List<Slot> out) {
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        out.add(new Slot(o, e.getKey(), -1, p));
        collect(e.getValue(), p, out);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        String p = path + "[" + i + "]";
        out.add(new Slot(a, null, i, p));
        collect(a.get(i), p, out);
      }
    }
  }

  private static boolean protocolAccepts(byte[] body) {
    if (body.length > Protocol.MAX_REPORT_BYTES || body.length == 0) {
      return false;
    }
    try {
      return WIRE.readValue(body, AgentReport.class) != null;
    } catch (Exception e) {
      return false;
    }
  }

  private HttpResponse<String> postBytes(String path, String token, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (body.length > Protocol.MAX_REPORT_BYTES) {
      return oversized(path, token, body.length);
    }
    return api.send(withHeader(b, "Bearer " + token).build());
  }

  /**
   * Announces an oversized body and reads the answer before sending any of it: the server must
   * refuse on Content-Length alone, without reading megabytes first. (Streaming the body instead
   * races the server closing the connection after its 413.)
   */
  private HttpResponse<String> oversized(String path, String token, int length) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
              + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.BufferedReader in =
          new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      assertThat(status).as("status line").startsWith("HTTP/1.1 ");
      int code = Integer.parseInt(status.substring(9, 12));
      int contentLength = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          contentLength = Integer.parseInt(line.substring(15).strip());
        }
      }
      char[] text = new char[contentLength];
      int read = 0;
      while (read < contentLength) {
        int n = in.read(text, read, contentLength - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new RawResponse(code, new String(text, 0, read));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Just enough of an HttpResponse for the assertions above. */
  private record RawResponse(int statusCode, String body) implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public URI uri() {
      return URI.create("http://127.0.0.1/");
    }

    @Override
    public java.net.http.HttpClient.Version version() {
      return java.net.http.HttpClient.Version.HTTP_1_1;
    }
  }

  private static HttpRequest.Builder withHeader(HttpRequest.Builder b, String authorization) {
    b.timeout(Duration.ofSeconds(30));
    return authorization.isEmpty() ? b : b.header("Authorization", authorization);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return WIRE.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
