package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.json;
import static dev.nines.server.Fixtures.report;
import static dev.nines.server.Fixtures.rows;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.protocol.Protocol;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestApiTest {
  @TempDir Path dir;
  NinesServer server;
  Fixtures.Api api;
  String agent;
  String viewer;

  @BeforeEach
  void start() {
    server = Fixtures.start(dir);
    api = new Fixtures.Api(server);
    agent = server.createToken("agent", "gpu-node-01 agent");
    viewer = server.createToken("viewer", "dashboard");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void storedReportShowsUpInHostsWithItsFigures() {
    HttpResponse<String> posted = api.postReport(agent, report("gpu-node-01", 1, 0.25, 71.0));

    assertThat(posted.statusCode()).isEqualTo(200);
    JsonNode reply = tree(posted.body());
    assertThat(reply.get("accepted").asBoolean()).isTrue();
    assertThat(reply.get("duplicate").asBoolean()).isFalse();
    assertThat(reply.get("desired").asText()).isEqualTo("ACTIVE");
    assertThat(reply.get("version").asInt()).isEqualTo(Protocol.CURRENT_VERSION);

    HttpResponse<String> hosts = api.get("/api/v1/hosts", viewer);
    assertThat(hosts.statusCode()).isEqualTo(200);
    JsonNode list = tree(hosts.body());
    assertThat(list).hasSize(1);
    JsonNode h = list.get(0);
    assertThat(h.get("id").asText()).isEqualTo("gpu-node-01");
    assertThat(h.get("pool").asText()).isEqualTo("llama");
    assertThat(h.get("labels").get("zone").asText()).isEqualTo("eu-1");
    assertThat(h.get("lastSeq").asLong()).isEqualTo(1);
    assertThat(h.get("reportAgeMs").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(h.get("routing").get("state").asText()).isEqualTo("ACTIVE");
    JsonNode summary = h.get("summary");
    assertThat(summary.get("cpuUtilRatio").asDouble()).isEqualTo(0.25);
    assertThat(summary.get("memoryUsedRatio").asDouble()).isEqualTo(0.75);
    assertThat(summary.get("load1").asDouble()).isEqualTo(2.5);
    JsonNode gpus = summary.get("gpus");
    assertThat(gpus.get("count").asInt()).isEqualTo(2);
    assertThat(gpus.get("maxTemperatureC").asDouble()).isEqualTo(71.0);
    assertThat(gpus.get("meanUtilGpuRatio").asDouble()).isEqualTo(0.7);
    assertThat(gpus.get("memoryUsedBytes").asLong()).isEqualTo(80_000_000_000L);
    assertThat(gpus.get("memoryTotalBytes").asLong()).isEqualTo(160_000_000_000L);
    assertThat(gpus.get("eccUncorrectedVolatile").asLong()).isEqualTo(2);
    JsonNode ep = summary.get("endpoints").get(0);
    assertThat(ep.get("healthOk").asBoolean()).isTrue();
    assertThat(ep.get("generationOk").asBoolean()).isTrue();
    assertThat(ep.get("generationLatencyMs").asDouble()).isEqualTo(45.5);
    assertThat(ep.get("latencyP95Ms").asDouble()).isEqualTo(210.0);
    assertThat(ep.get("latencyP99Ms").asDouble()).isEqualTo(400.0);
    assertThat(ep.get("requests").asLong()).isEqualTo(120);
    assertThat(ep.get("errors").asLong()).isEqualTo(3);
    assertThat(h.get("host").get("cpuCount").asInt()).isEqualTo(16);
    assertThat(h.get("gpu").get("gpus")).hasSize(2);
    assertThat(h.get("endpoints").get(0).get("url").asText()).isEqualTo("http://127.0.0.1:8000");

    HttpResponse<String> one = api.get("/api/v1/hosts/gpu-node-01", ADMIN);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(tree(one.body()).get("summary").get("cpuUtilRatio").asDouble()).isEqualTo(0.25);
    assertThat(rows(dir, "reports")).isEqualTo(1);
  }

  @Test
  void duplicateSeqIsAcknowledgedAsDuplicateAndStoredOnce() {
    assertThat(api.postReport(agent, report("h1", 7, 0.1, 60)).statusCode()).isEqualTo(200);
    HttpResponse<String> again = api.postReport(agent, report("h1", 7, 0.9, 90));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(tree(again.body()).get("duplicate").asBoolean()).isTrue();
    assertThat(tree(again.body()).get("accepted").asBoolean()).isTrue();
    assertThat(rows(dir, "reports")).isEqualTo(1);
    JsonNode h = tree(api.get("/api/v1/hosts/h1", viewer).body());
    assertThat(h.get("summary").get("cpuUtilRatio").asDouble()).isEqualTo(0.1);
  }

  @Test
  void replayedOldReportDoesNotOverwriteNewerFigures() {
    api.postReport(agent, report("h1", 10, 0.8, 80));
    HttpResponse<String> old = api.postReport(agent, report("h1", 3, 0.1, 40));

    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(tree(old.body()).get("duplicate").asBoolean()).isFalse();
    assertThat(rows(dir, "reports")).isEqualTo(2);
    JsonNode h = tree(api.get("/api/v1/hosts/h1", viewer).body());
    assertThat(h.get("lastSeq").asLong()).isEqualTo(10);
    assertThat(h.get("summary").get("cpuUtilRatio").asDouble()).isEqualTo(0.8);
    assertThat(h.get("summary").get("gpus").get("maxTemperatureC").asDouble()).isEqualTo(80.0);
  }

  @Test
  void malformedJsonIsRefusedWithDetail() {
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, "{\"version\": 1, "), 400, "invalid report", "malformed JSON");
  }

  @Test
  void wrongTypeIsRefusedNamingTheField() {
    ObjectNode body = (ObjectNode) tree(json(report("h1", 1, 0.2, 50)));
    body.put("seq", "twelve");
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body.toString()), 400, "invalid report", "seq");
  }

  @Test
  void numberAsStringIsRefused() {
    ObjectNode body = (ObjectNode) tree(json(report("h1", 1, 0.2, 50)));
    body.put("seq", "12");
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body.toString()), 400, "invalid report", "seq");
  }

  @Test
  void nanIsRefused() {
    String body = json(report("h1", 1, 0.2, 50)).replace("\"cpuUtilRatio\":0.2", "\"cpuUtilRatio\":NaN");
    assertThat(body).contains("NaN");
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body), 400, "invalid report", "NaN");
  }

  @Test
  void negativeByteCountIsRefusedNamingTheField() {
    ObjectNode body = (ObjectNode) tree(json(report("h1", 1, 0.2, 50)));
    ((ObjectNode) body.get("host")).put("memoryTotalBytes", -5);
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body.toString()), 400, "invalid report", "memoryTotalBytes");
  }

  @Test
  void missingAgentIdIsRefused() {
    ObjectNode body = (ObjectNode) tree(json(report("h1", 1, 0.2, 50)));
    body.remove("agentId");
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body.toString()), 400, "invalid report", "agentId is required");
  }

  @Test
  void missingPrimitiveIsRefused() {
    ObjectNode body = (ObjectNode) tree(json(report("h1", 1, 0.2, 50)));
    ((ObjectNode) body.get("gpu")).remove("available");
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, body.toString()), 400, "invalid report", "available");
  }

  @Test
  void emptyBodyIsRefused() {
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, ""), 400, "invalid report", "empty");
  }

  @Test
  void oversizedBodyIsRefusedBeforeParsing() {
    String huge = "{\"pad\":\"" + "x".repeat(Protocol.MAX_REPORT_BYTES) + "\"}";
    assertRefused(api.post(Protocol.REPORTS_PATH, agent, huge), 413, "report too large", "limit");
  }

  @Test
  void missingTokenIs401() {
    HttpResponse<String> r = api.postReport(null, report("h1", 1, 0.2, 50));
    assertRefused(r, 401, "unauthorized", "Bearer");
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void unknownTokenIs401() {
    assertRefused(api.postReport("not-a-real-token", report("h1", 1, 0.2, 50)), 401, "unauthorized", "unknown");
  }

  @Test
  void viewerMayNotPostReports() {
    assertRefused(api.postReport(viewer, report("h1", 1, 0.2, 50)), 403, "forbidden", "viewer");
  }

  @Test
  void adminMayPostReports() {
    assertThat(api.postReport(ADMIN, report("h1", 1, 0.2, 50)).statusCode()).isEqualTo(200);
  }

  @Test
  void agentMayNotReadHosts() {
    HttpResponse<String> r = api.get("/api/v1/hosts", agent);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(tree(r.body()).get("error").asText()).isEqualTo("forbidden");
  }

  @Test
  void unknownHostIs404Json() {
    HttpResponse<String> r = api.get("/api/v1/hosts/nope", viewer);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(tree(r.body()).get("error").asText()).isEqualTo("unknown host");
    assertThat(tree(r.body()).get("detail").asText()).contains("nope");
  }

  @Test
  void unknownPathIs404Json() {
    HttpResponse<String> r = api.get("/api/v1/nothing-here", viewer);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(tree(r.body()).get("error").asText()).isEqualTo("not found");
  }

  @Test
  void wrongMethodIs405Json() {
    HttpResponse<String> r = api.get(Protocol.REPORTS_PATH, agent);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(tree(r.body()).get("error").asText()).isEqualTo("method not allowed");
  }

  @Test
  void healthAndReadinessNeedNoToken() {
    assertThat(api.get("/healthz", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = api.get("/readyz", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(tree(ready.body()).get("status").asText()).isEqualTo("ready");
  }

  @Test
  void metricsPageCountsStoredReports() {
    api.postReport(agent, report("h1", 1, 0.2, 50));
    api.postReport(agent, report("h1", 1, 0.2, 50));
    String page = api.get("/metrics", null).body();
    assertThat(page).contains("nines_ingest_reports_total{outcome=\"stored\"} 1.0");
    assertThat(page).contains("nines_ingest_reports_total{outcome=\"duplicate\"} 1.0");
    assertThat(page).contains("# HELP nines_ingest_commit_seconds");
  }

  private void assertRefused(HttpResponse<String> r, int status, String error, String detailPart) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("json"));
    JsonNode body = tree(r.body());
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("detail").asText()).contains(detailPart);
    assertThat(rows(dir, "reports")).isZero();
    assertThat(rows(dir, "hosts")).isZero();
  }
}
