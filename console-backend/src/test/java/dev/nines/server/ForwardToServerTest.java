package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.protocol.Protocol;
import dev.nines.server.api.ApiErrors;
import dev.nines.server.replica.LeaderForwarder;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link NinesServer} as the leader behind a stand-alone follower app that has the forwarder
 * and no API routes of its own (only a local report handler): the leader's own auth, validation,
 * audit and answers reach the client through the follower unchanged.
 */
class ForwardToServerTest {
  @TempDir Path dir;
  NinesServer leader;
  Javalin follower;
  LeaderForwarder forwarder;
  final List<String> servedLocally = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  String operator;
  String viewer;

  @BeforeEach
  void start() {
    leader = Fixtures.start(dir);
    operator = leader.createToken("operator", "alice");
    viewer = leader.createToken("viewer", "victor");
    forwarder =
        new LeaderForwarder(() -> false, () -> Optional.of(URI.create(leader.url())), "replica-2");
    follower =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              cfg.http.maxRequestSize = Protocol.MAX_REPORT_BYTES;
              ApiErrors.install(cfg);
              forwarder.install(cfg);
              cfg.routes.post(Protocol.REPORTS_PATH, ctx -> {
                servedLocally.add(ctx.path());
                ctx.status(202).json(Map.of("at", "replica-2"));
              });
            });
    follower.start();
  }

  @AfterEach
  void stop() {
    follower.stop();
    forwarder.close();
    leader.close();
  }

  HttpResponse<String> send(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + follower.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSilenceMadeThroughAFollowerIsMadeByTheLeaderAsTheCallerAndReadBackThroughTheFollower() {
    HttpResponse<String> made =
        send("POST", "/api/v1/silences", operator, "{\"matchers\":[\"host=node-1\"],\"comment\":\"reimaging\",\"duration\":\"2h\"}");

    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    assertThat(made.headers().firstValue(LeaderForwarder.LEADER)).contains(leader.url());
    JsonNode s = tree(made.body());
    assertThat(s.get("author").asText()).isEqualTo("alice");
    assertThat(leader.alerts().silences()).extracting(x -> x.id()).containsExactly(s.get("id").asText());

    HttpResponse<String> listed = send("GET", "/api/v1/silences", viewer, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(tree(listed.body()).get("items").get(0).get("id").asText()).isEqualTo(s.get("id").asText());

    HttpResponse<String> audit = send("GET", "/api/v1/audit", ADMIN, null);
    assertThat(audit.statusCode()).as("audit is not forwarded, and this follower has no such route").isEqualTo(404);
    assertThat(new Fixtures.Api(leader).get("/api/v1/audit", ADMIN).body()).contains("silence.create").contains("alice");
  }

  @Test
  void theLeadersRefusalsComeBackAsTheLeaderGaveThem() {
    HttpResponse<String> noToken = send("POST", "/api/v1/silences", null, "{}");
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("WWW-Authenticate")).contains("Bearer");

    HttpResponse<String> viewerWrite =
        send("POST", "/api/v1/silences", viewer, "{\"matchers\":[\"host=node-1\"],\"comment\":\"x\",\"duration\":\"1h\"}");
    assertThat(viewerWrite.statusCode()).isEqualTo(403);
    HttpResponse<String> direct =
        new Fixtures.Api(leader).post("/api/v1/silences", viewer, "{\"matchers\":[\"host=node-1\"],\"comment\":\"x\",\"duration\":\"1h\"}");
    assertThat(viewerWrite.body()).isEqualTo(direct.body());

    HttpResponse<String> invalid = send("POST", "/api/v1/silences", operator, "{\"matchers\":[]}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(tree(invalid.body()).get("error").asText()).isNotBlank();
    assertThat(leader.alerts().silences()).isEmpty();
  }

  @Test
  void reportsStayOnTheFollower() {
    HttpResponse<String> r = send("POST", Protocol.REPORTS_PATH, ADMIN, "{}");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(servedLocally).containsExactly(Protocol.REPORTS_PATH);
    assertThat(Fixtures.rows(dir, "reports")).isZero();
  }
}
