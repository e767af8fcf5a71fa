package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.notify.TestReceiver;
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

/** The receivers and deliveries API on a real server, with a real receiver on a loopback port. */
class WebhooksApiTest {
  @TempDir Path dir;
  NinesServer server;
  Fixtures.Api api;
  final TestReceiver receiver = new TestReceiver("s3cret");

  @BeforeEach
  void start() {
    server = Fixtures.start(dir);
    api = new Fixtures.Api(server);
    receiver.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
  }

  private HttpResponse<String> send(String method, String path, String body) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + Fixtures.ADMIN)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private String hook(String id, String url, String extra) {
    return "{\"id\":\"" + id + "\",\"kind\":\"webhook\",\"url\":\"" + url + "\"" + extra + "}";
  }

  @Test
  void receiversAreCreatedShownWithoutTheirSecretReplacedAndDeleted() {
    HttpResponse<String> created =
        send("POST", "/api/v1/webhooks",
            hook("ops", receiver.url(), ",\"secret\":\"s3cret\",\"matchers\":[\"pool=chat\",\"severity=~critical|warning\"],\"groupWait\":\"5s\",\"timeout\":\"2s\""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode view = Fixtures.tree(created.body());
    assertThat(view.get("secretSet").asBoolean()).isTrue();
    assertThat(view.has("secret")).isFalse();
    assertThat(created.body()).doesNotContain("s3cret");
    assertThat(view.get("matchers").get(1).asText()).isEqualTo("severity=~critical|warning");
    assertThat(view.get("groupWait").asText()).isEqualTo("5s");
    assertThat(view.get("groupInterval").asText()).isEqualTo("30s");
    assertThat(view.get("concurrency").asInt()).isEqualTo(4);

    assertThat(send("POST", "/api/v1/webhooks", hook("ops", receiver.url(), "")).statusCode()).isEqualTo(409);
    HttpResponse<String> list = send("GET", "/api/v1/webhooks", null);
    assertThat(list.body()).doesNotContain("s3cret");
    assertThat(Fixtures.tree(list.body()).get("items")).hasSize(1);

    // A replacement that leaves the secret out keeps it; the receiver still gets signed messages.
    HttpResponse<String> replaced = send("PUT", "/api/v1/webhooks/ops", "{\"kind\":\"alertmanager\",\"url\":\"" + receiver.url() + "\"}");
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(Fixtures.tree(replaced.body()).get("kind").asText()).isEqualTo("alertmanager");
    assertThat(Fixtures.tree(replaced.body()).get("secretSet").asBoolean()).isTrue();
    assertThat(server.receivers().spec("ops").orElseThrow().secret()).isEqualTo("s3cret");
    assertThat(send("PUT", "/api/v1/webhooks/nope", hook("nope", receiver.url(), "")).statusCode()).isEqualTo(404);

    assertThat(send("DELETE", "/api/v1/webhooks/ops", null).statusCode()).isEqualTo(204);
    assertThat(send("GET", "/api/v1/webhooks/ops", null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/v1/webhooks/ops", null).statusCode()).isEqualTo(404);

    JsonNode audit = Fixtures.tree(send("GET", "/api/v1/audit?limit=1000", null).body()).get("items");
    List<String> actions = new ArrayList<>();
    audit.forEach(a -> actions.add(a.get("action").asText()));
    assertThat(actions).contains("webhook.create", "webhook.replace", "webhook.delete");
    assertThat(audit.toString()).doesNotContain("s3cret");
  }

  @Test
  void badInputIsRefusedWithTheFieldNamedAndNothingStored() {
    String[][] cases = {
      {hook("ops", "ftp://x", ""), "url"},
      {hook("Bad Id", receiver.url(), ""), "id"},
      {"{\"id\":\"ops\",\"kind\":\"fax\",\"url\":\"" + receiver.url() + "\"}", "kind"},
      {hook("ops", receiver.url(), ",\"matchers\":[\"pool\"]"), "matchers"},
      {hook("ops", receiver.url(), ",\"timeout\":\"soon\""), "timeout"},
      {hook("ops", receiver.url(), ",\"concurrency\":0"), "concurrency"},
      {hook("ops", receiver.url(), ",\"concurrency\":\"2\""), "concurrency"},
      {hook("ops", receiver.url(), ",\"routingKey\":\"abc\""), "routingKey"},
      {"{\"id\":\"pd\",\"kind\":\"pagerduty\",\"url\":\"" + receiver.url() + "\"}", "routingKey"},
      {hook("ops", receiver.url(), ",\"secrte\":\"x\""), "secrte"},
      {"[1,2]", "object"},
      {"not json", "JSON"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = send("POST", "/api/v1/webhooks", c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(Fixtures.tree(r.body()).get("detail").asText()).as(c[0]).contains(c[1]);
    }
    assertThat(Fixtures.tree(send("GET", "/api/v1/webhooks", null).body()).get("items")).isEmpty();
    assertThat(Fixtures.rows(dir, "receivers")).isZero();
  }

  @Test
  void aTestFireArrivesSignedAndADeadLetterIsListedAndRedriven() {
    assertThat(send("POST", "/api/v1/webhooks", hook("ops", receiver.url(), ",\"secret\":\"s3cret\"")).statusCode()).isEqualTo(201);
    HttpResponse<String> fired = send("POST", "/api/v1/webhooks/ops/test", "{}");
    assertThat(fired.statusCode()).isEqualTo(202);
    String eventId = Fixtures.tree(fired.body()).get("eventId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.processed().containsKey(eventId));
    TestReceiver.Arrival a = receiver.arrivals().get(0);
    assertThat(a.signatureValid()).isTrue();
    JsonNode body = Fixtures.tree(a.body());
    assertThat(body.get("eventId").asText()).isEqualTo(eventId);
    assertThat(body.get("alerts").get(0).get("labels").get("alertname").asText()).isEqualTo("nines-test");
    assertThat(send("POST", "/api/v1/webhooks/nope/test", "{}").statusCode()).isEqualTo(404);

    receiver.then("410");
    String second = Fixtures.tree(send("POST", "/api/v1/webhooks/ops/test", "{}").body()).get("eventId").asText();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.tree(send("GET", "/api/v1/deliveries?state=dead", null).body()).get("items").size() == 1);
    JsonNode dead = Fixtures.tree(send("GET", "/api/v1/deliveries?state=dead&receiver=ops", null).body()).get("items").get(0);
    assertThat(dead.get("eventId").asText()).isEqualTo(second);
    assertThat(dead.get("lastStatus").asInt()).isEqualTo(410);
    assertThat(dead.get("attempts").asInt()).isEqualTo(1);

    HttpResponse<String> redriven = send("POST", "/api/v1/deliveries/" + dead.get("seq").asLong() + "/redrive", "{}");
    assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.processed().containsKey(second));
    assertThat(send("POST", "/api/v1/deliveries/" + dead.get("seq").asLong() + "/redrive", "{}").statusCode())
        .as("not dead any more").isEqualTo(409);
    assertThat(send("POST", "/api/v1/deliveries/999999/redrive", "{}").statusCode()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.tree(send("GET", "/api/v1/deliveries?state=delivered", null).body()).get("items").size() == 2);

    JsonNode page = Fixtures.tree(send("GET", "/api/v1/deliveries?limit=1", null).body());
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("eventId").asText()).as("newest first").isEqualTo(second);
    JsonNode next = Fixtures.tree(send("GET", "/api/v1/deliveries?limit=1&cursor=" + page.get("nextCursor").asText(), null).body());
    assertThat(next.get("items").get(0).get("eventId").asText()).isEqualTo(eventId);
    assertThat(next.get("nextCursor").isNull()).isTrue();
    assertThat(send("GET", "/api/v1/deliveries?state=lost", null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/v1/deliveries?limit=0", null).statusCode()).isEqualTo(400);

    List<String> actions = new ArrayList<>();
    Fixtures.tree(send("GET", "/api/v1/audit?limit=1000", null).body()).get("items").forEach(x -> actions.add(x.get("action").asText()));
    assertThat(actions).contains("webhook.test", "delivery.redrive");

    String metrics = api.get("/metrics", null).body();
    assertThat(metrics)
        .contains("nines_alert_deliveries_total{outcome=\"delivered\",receiver=\"ops\"} 2.0")
        .contains("nines_alert_deliveries_total{outcome=\"dead\",receiver=\"ops\"} 1.0")
        .contains("nines_alert_delivery_seconds_count")
        .contains("nines_outbox_messages{state=\"pending\"}")
        .contains("# HELP nines_outbox_messages");
  }
}
