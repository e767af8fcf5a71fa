package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensApiTest {
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(Fixtures.T0);
  NinesServer server;
  Fixtures.Api api;

  @BeforeEach
  void start() {
    server =
        NinesServer.start(
            new ServerSettings("127.0.0.1", 0, dir.resolve("nines.db").toString(), null, ADMIN), clock, null);
    api = new Fixtures.Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> delete(String path, String token) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .DELETE()
            .build());
  }

  JsonNode create(String role, String name) {
    HttpResponse<String> r = api.post("/api/v1/tokens", ADMIN, "{\"role\":\"" + role + "\",\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return tree(r.body());
  }

  @Test
  void anAdminCreatesATokenThatWorksAtOnceAndIsShownOnlyInTheCreationAnswer() {
    clock.advance(Duration.ofSeconds(1)); // newer than the bootstrap admin token
    JsonNode created = create("viewer", "grafana");
    String token = created.get("token").asText();
    String id = created.get("created").get("id").asText();

    assertThat(created.get("created").get("role").asText()).isEqualTo("viewer");
    assertThat(created.get("note").asText()).contains("only");
    assertThat(api.get("/api/v1/hosts", token).statusCode()).isEqualTo(200);
    HttpResponse<String> list = api.get("/api/v1/tokens", ADMIN);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(id, "grafana").doesNotContain(token).doesNotContain("hash").doesNotContain("sha256");
    JsonNode first = tree(list.body()).get("items").get(0);
    assertThat(first.get("id").asText()).isEqualTo(id);
    assertThat(first.get("active").asBoolean()).isTrue();
    assertThat(tree(list.body()).get("nextCursor").isNull()).isTrue();
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndRevokingAgainSaysSo() {
    JsonNode created = create("operator", "ops");
    String token = created.get("token").asText();
    String id = created.get("created").get("id").asText();
    assertThat(api.get("/api/v1/hosts", token).statusCode()).isEqualTo(200); // cached now

    HttpResponse<String> revoked = delete("/api/v1/tokens/" + id, ADMIN);

    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(tree(revoked.body()).get("outcome").asText()).isEqualTo("revoked");
    assertThat(api.get("/api/v1/hosts", token).statusCode()).isEqualTo(401);
    HttpResponse<String> again = delete("/api/v1/tokens/" + id, ADMIN);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(tree(again.body()).get("outcome").asText()).isEqualTo("already revoked");
    assertThat(delete("/api/v1/tokens/tok_nosuchtoken", ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void theLastAdminTokenCannotBeRevokedOverTheApi() {
    String adminId = tree(api.get("/api/v1/tokens", ADMIN).body()).get("items").get(0).get("id").asText();

    HttpResponse<String> refused = delete("/api/v1/tokens/" + adminId, ADMIN);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(tree(refused.body()).get("detail").asText()).contains("last valid admin token");
    assertThat(api.get("/api/v1/tokens", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void badCreationsAre400AndChangeNothing() {
    for (String body : new String[] {
        "", "[]", "{\"role\":\"root\",\"name\":\"x\"}", "{\"role\":\"viewer\"}", "{\"role\":\"viewer\",\"name\":\"  \"}",
        "{\"role\":7,\"name\":\"x\"}", "{\"role\":\"viewer\",\"name\":\"x\"} trailing"}) {
      HttpResponse<String> r = api.post("/api/v1/tokens", ADMIN, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(tree(r.body()).get("error").asText()).as(body).isNotEmpty();
    }
    assertThat(tree(api.get("/api/v1/tokens", ADMIN).body()).get("items")).hasSize(1);
  }

  @Test
  void tokensPageNewestFirstByCursor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      ids.add(0, create("agent", "agent-" + i).get("created").get("id").asText());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int i = 0; i < 10; i++) {
      JsonNode page = tree(api.get("/api/v1/tokens?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN).body());
      page.get("items").forEach(t -> seen.add(t.get("id").asText()));
      if (page.get("nextCursor").isNull()) {
        break;
      }
      cursor = page.get("nextCursor").asText();
    }
    assertThat(seen).hasSize(6).startsWith(ids.toArray(String[]::new)); // the bootstrap admin is oldest
    assertThat(api.get("/api/v1/tokens?limit=0", ADMIN).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/tokens?limit=1001", ADMIN).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/tokens?cursor=not-ours", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theAuditLogShowsWhoCreatedAndRevokedWhatAndFilters() {
    clock.advance(Duration.ofSeconds(1));
    JsonNode created = create("viewer", "grafana");
    String id = created.get("created").get("id").asText();
    clock.advance(Duration.ofSeconds(1));
    delete("/api/v1/tokens/" + id, ADMIN);
    String operator = create("operator", "ops").get("token").asText();

    HttpResponse<String> all = api.get("/api/v1/audit", operator);
    assertThat(all.statusCode()).isEqualTo(200);
    JsonNode items = tree(all.body()).get("items");
    // newest first: ops created, grafana revoked, grafana created, bootstrap admin stored by the system
    assertThat(items).hasSize(4);
    JsonNode revoke = items.get(1);
    assertThat(revoke.get("action").asText()).isEqualTo("token.revoke");
    assertThat(revoke.get("target").asText()).isEqualTo(id);
    assertThat(revoke.get("actor").asText()).startsWith("token:tok_");
    assertThat(revoke.get("actorName").asText()).isEqualTo("admin (from settings)");
    assertThat(revoke.get("detail").get("name").asText()).isEqualTo("grafana");
    assertThat(revoke.get("at").asLong()).isEqualTo(Fixtures.T0 + 2000);
    assertThat(items.get(3).get("actor").asText()).isEqualTo("system");

    assertThat(tree(api.get("/api/v1/audit?action=token.revoke", ADMIN).body()).get("items")).hasSize(1);
    assertThat(tree(api.get("/api/v1/audit?actor=system", ADMIN).body()).get("items")).hasSize(1);
    assertThat(tree(api.get("/api/v1/audit?actor=admin%20(from%20settings)", ADMIN).body()).get("items")).hasSize(3);
    assertThat(tree(api.get("/api/v1/audit?from=" + (Fixtures.T0 + 1000) + "&to=1970-01-01T00:00:00Z", ADMIN).body())
            .get("error").asText()).isNotEmpty();
    JsonNode window = tree(api.get("/api/v1/audit?from=" + (Fixtures.T0 + 1000) + "&to=" + (Fixtures.T0 + 2000), ADMIN).body());
    assertThat(window.get("items")).singleElement().satisfies(a -> assertThat(a.get("action").asText()).isEqualTo("token.create"));
    JsonNode page = tree(api.get("/api/v1/audit?limit=3", ADMIN).body());
    assertThat(page.get("items")).hasSize(3);
    JsonNode rest = tree(api.get("/api/v1/audit?limit=3&cursor=" + page.get("nextCursor").asText(), ADMIN).body());
    assertThat(rest.get("items")).singleElement().satisfies(a -> assertThat(a.get("actor").asText()).isEqualTo("system"));
    assertThat(rest.get("nextCursor").isNull()).isTrue();
    assertThat(api.get("/api/v1/audit?from=yesterday", ADMIN).statusCode()).isEqualTo(400);
  }
}
