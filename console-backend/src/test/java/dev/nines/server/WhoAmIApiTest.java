package dev.nines.server;

import static dev.nines.server.Fixtures.ADMIN;
import static dev.nines.server.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhoAmIApiTest {
  @TempDir Path dir;
  NinesServer server;
  Fixtures.Api api;

  @BeforeEach
  void start() {
    server = Fixtures.start(dir);
    api = new Fixtures.Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyValidTokenLearnsItsOwnNameAndRoleAndNothingElse() {
    for (String role : new String[] {"agent", "viewer", "operator", "admin"}) {
      String token = server.createToken(role, "console-" + role);
      HttpResponse<String> r = api.get("/api/v1/whoami", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = tree(r.body());
      assertThat(body.get("name").asText()).isEqualTo("console-" + role);
      assertThat(body.get("role").asText()).isEqualTo(role);
      assertThat(body.size()).isEqualTo(2);
      assertThat(r.body()).doesNotContain(token);
    }
    assertThat(tree(api.get("/api/v1/whoami", ADMIN).body()).get("role").asText()).isEqualTo("admin");
  }

  @Test
  void anUnknownTokenIsRefusedWith401() {
    HttpResponse<String> r = api.get("/api/v1/whoami", "nines_not-a-token");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(tree(r.body()).get("error").asText()).isNotBlank();
  }
}
