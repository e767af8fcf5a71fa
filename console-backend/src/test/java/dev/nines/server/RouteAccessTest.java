package dev.nines.server;

import static dev.nines.server.auth.Role.ADMIN;
import static dev.nines.server.auth.Role.AGENT;
import static dev.nines.server.auth.Role.OPERATOR;
import static dev.nines.server.auth.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.auth.Role;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the server exposes with no token, bad tokens, a revoked token and a valid token
 * of each role, and checks who may do what against {@link #ROUTES}. A route the server has but the
 * table lacks fails the test: a new route gets a row here, one line.
 */
class RouteAccessTest {
  /** Who may call each route. Open routes need no token; the others answer 401 or 403 to the rest. */
  static final List<Route> ROUTES =
      List.of(
          open("GET", "/healthz"),
          open("GET", "/readyz"),
          open("GET", "/metrics"),
          route("POST", "/api/v1/reports", AGENT, ADMIN),
          route("GET", "/api/v1/whoami", AGENT, VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/hosts", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/hosts/{id}", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/hosts/{id}/health", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/hosts/{id}/routing", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/cluster", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/hosts/{id}/metrics", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/events", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/pools", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/pools/{id}", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/availability", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/incidents", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/incidents/{id}", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/tokens", ADMIN),
          route("POST", "/api/v1/tokens", ADMIN),
          route("DELETE", "/api/v1/tokens/{id}", ADMIN),
          route("GET", "/api/v1/audit", OPERATOR, ADMIN),
          route("POST", "/api/v1/hosts/{id}/drain", OPERATOR, ADMIN),
          route("POST", "/api/v1/hosts/{id}/maintenance", OPERATOR, ADMIN),
          route("POST", "/api/v1/hosts/{id}/undrain", OPERATOR, ADMIN),
          route("POST", "/api/v1/pools/{id}/failover", OPERATOR, ADMIN),
          route("GET", "/api/v1/pools/{id}/routing", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/pools/{id}/config", VIEWER, OPERATOR, ADMIN),
          route("PUT", "/api/v1/pools/{id}/config", ADMIN),
          route("DELETE", "/api/v1/pools/{id}/config", ADMIN),
          route("GET", "/api/v1/reports/uptime", VIEWER, OPERATOR, ADMIN),
          // --- maintenance windows ---
          route("GET", "/api/v1/maintenance-windows", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/maintenance-windows/{id}", VIEWER, OPERATOR, ADMIN),
          route("POST", "/api/v1/maintenance-windows", OPERATOR, ADMIN),
          route("DELETE", "/api/v1/maintenance-windows/{id}", OPERATOR, ADMIN),
          // alerts (engine)
          route("GET", "/api/v1/alerts", VIEWER, OPERATOR, ADMIN),
          route("GET", "/api/v1/alerts/{fingerprint}", VIEWER, OPERATOR, ADMIN),
          route("POST", "/api/v1/alerts/{fingerprint}/ack", OPERATOR, ADMIN),
          route("GET", "/api/v1/silences", VIEWER, OPERATOR, ADMIN),
          route("POST", "/api/v1/silences", OPERATOR, ADMIN),
          route("DELETE", "/api/v1/silences/{id}", OPERATOR, ADMIN),
          // alert delivery
          route("GET", "/api/v1/webhooks", ADMIN),
          route("POST", "/api/v1/webhooks", ADMIN),
          route("GET", "/api/v1/webhooks/{id}", ADMIN),
          route("PUT", "/api/v1/webhooks/{id}", ADMIN),
          route("DELETE", "/api/v1/webhooks/{id}", ADMIN),
          route("POST", "/api/v1/webhooks/{id}/test", ADMIN),
          route("GET", "/api/v1/deliveries", ADMIN),
          route("POST", "/api/v1/deliveries/{seq}/redrive", ADMIN));

  /**
   * A route and the roles allowed on it.
   *
   * @param allowed the roles that may call it, or null when it is open to anyone
   */
  record Route(String method, String path, Set<Role> allowed) {
    String key() {
      return method + " " + path;
    }
  }

  static Route route(String method, String path, Role... allowed) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    roles.addAll(List.of(allowed));
    return new Route(method, path, Set.copyOf(roles));
  }

  static Route open(String method, String path) {
    return new Route(method, path, null);
  }

  @TempDir Path dir;
  NinesServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    server = Fixtures.start(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theTableListsEveryRouteTheServerExposesAndNoOther() {
    Set<String> exposed = new TreeSet<>(server.routes());
    Set<String> listed = ROUTES.stream().map(Route::key).collect(Collectors.toCollection(TreeSet::new));

    Set<String> missing = new TreeSet<>(exposed);
    missing.removeAll(listed);
    Set<String> stale = new TreeSet<>(listed);
    stale.removeAll(exposed);
    assertThat(missing).as("routes the server exposes but RouteAccessTest.ROUTES does not list: add a row each").isEmpty();
    assertThat(stale).as("rows of RouteAccessTest.ROUTES that the server does not expose").isEmpty();
    assertThat(exposed).as("sanity: the enumeration finds routes at all").contains("GET /api/v1/hosts");
  }

  @Test
  void everyRouteAnswersEachCallerAsTheTableSays() throws Exception {
    Map<String, String> callers = new LinkedHashMap<>();
    callers.put("no token", null);
    callers.put("garbage token", "Bearer nines_this-token-was-never-issued");
    callers.put("not a bearer header", "Basic YWRtaW46YWRtaW4=");
    String revoked = server.createToken("admin", "revoked admin");
    assertThat(send("GET", "/api/v1/hosts", "Bearer " + revoked)).isEqualTo(200); // cached, then revoked
    String revokedId = revokeByName("revoked admin");
    callers.put("revoked admin token " + revokedId, "Bearer " + revoked);
    Map<Role, String> byRole = new LinkedHashMap<>();
    for (Role r : Role.values()) {
      byRole.put(r, r == Role.ADMIN ? Fixtures.ADMIN : server.createToken(r.wire(), "route walk " + r.wire()));
    }

    List<String> wrong = new ArrayList<>();
    int calls = 0;
    for (Route route : ROUTES) {
      for (Map.Entry<String, String> c : callers.entrySet()) {
        int status = send(route.method(), route.path(), c.getValue());
        calls++;
        boolean ok = route.allowed() == null ? status != 401 && status != 403 : status == 401;
        if (!ok) {
          wrong.add(route.key() + " with " + c.getKey() + ": " + status);
        }
      }
      for (Map.Entry<Role, String> r : byRole.entrySet()) {
        int status = send(route.method(), route.path(), "Bearer " + r.getValue());
        calls++;
        boolean allowed = route.allowed() == null || route.allowed().contains(r.getKey());
        boolean ok = allowed ? status != 401 && status != 403 && status < 500 : status == 403;
        if (!ok) {
          wrong.add(route.key() + " as " + r.getKey().wire() + " (allowed: " + (allowed ? "yes" : "no") + "): " + status);
        }
      }
    }
    assertThat(wrong).as("answers that disagree with the table").isEmpty();
    assertThat(calls).isEqualTo(ROUTES.size() * (callers.size() + Role.values().length));
  }

  private String revokeByName(String name) {
    Fixtures.Api api = new Fixtures.Api(server);
    var items = Fixtures.tree(api.get("/api/v1/tokens?limit=1000", Fixtures.ADMIN).body()).get("items");
    for (var t : items) {
      if (t.get("name").asText().equals(name)) {
        String id = t.get("id").asText();
        assertThat(send("DELETE", "/api/v1/tokens/" + id, "Bearer " + Fixtures.ADMIN)).isEqualTo(200);
        return id;
      }
    }
    throw new AssertionError("no token named " + name);
  }

  /**
   * One call; path parameters become an id that does not exist, bodies are {@code {}}. Returns as
   * soon as the status line arrives (the event stream never ends), then closes the body.
   */
  private int send(String method, String path, String authorization) {
    String concrete = path.replaceAll("\\{[^}]+}", "no-such-id");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + concrete))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    b.header("Content-Type", "application/json")
        .method(method, withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<InputStream> r =
          http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream()).get(15, TimeUnit.SECONDS);
      r.body().close();
      return r.statusCode();
    } catch (Exception e) {
      throw new AssertionError(method + " " + concrete + " failed: " + e, e);
    }
  }
}
