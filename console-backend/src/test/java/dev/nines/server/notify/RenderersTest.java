package dev.nines.server.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each renderer's body for the same two notifications (a firing group of two alerts, and the group
 * resolved), compared exactly with golden files in {@code src/test/resources/dev/nines/server/notify/golden}.
 * Run with {@code -Dgolden.update=true} to rewrite them after a deliberate change (then read the diff).
 */
class RenderersTest {
  static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String EXTERNAL = "https://nines.example.com";
  static final Instant T0 = Instant.parse("2026-11-03T10:15:30Z");

  static Notification firing() {
    AlertInstance a =
        new AlertInstance(
            "fp-host-down-gpu-7",
            Map.of("alertname", "HostDown", "severity", "critical", "pool", "chat", "host", "gpu-7"),
            Map.of(
                "summary", "Host gpu-7 is down",
                "description", "No report for 45 s (grace 30 s) & <probe> failed",
                "link", "/hosts/gpu-7"),
            AlertInstance.FIRING, T0, null);
    AlertInstance b =
        new AlertInstance(
            "fp-host-down-gpu-9",
            Map.of("alertname", "HostDown", "severity", "warning", "pool", "chat", "host", "gpu-9"),
            Map.of("summary", "Host gpu-9 is down", "link", "/hosts/gpu-9"),
            AlertInstance.FIRING, T0.plusSeconds(5), null);
    return new Notification(
        "evt-0001", "ops", "ops:{alertname=\"HostDown\",pool=\"chat\"}",
        Map.of("alertname", "HostDown", "pool", "chat"), AlertInstance.FIRING, List.of(a, b), T0.plusSeconds(7));
  }

  static Notification resolved() {
    AlertInstance a =
        new AlertInstance(
            "fp-host-down-gpu-7",
            Map.of("alertname", "HostDown", "severity", "critical", "pool", "chat", "host", "gpu-7"),
            Map.of("summary", "Host gpu-7 is down", "link", "/hosts/gpu-7"),
            AlertInstance.RESOLVED, T0, T0.plus(Duration.ofMinutes(4)));
    return new Notification(
        "evt-0002", "ops", "ops:{alertname=\"HostDown\",pool=\"chat\"}",
        Map.of("alertname", "HostDown", "pool", "chat"), AlertInstance.RESOLVED, List.of(a),
        T0.plus(Duration.ofMinutes(4)).plusSeconds(2));
  }

  static ReceiverSpec receiver(ReceiverSpec.Kind kind) {
    return new ReceiverSpec(
        "ops", kind, "https://hooks.example.com/x", "s3cret",
        kind == ReceiverSpec.Kind.PAGERDUTY ? "R0UTINGKEY" : null, List.of(), null, null, null, null, null,
        4, null, true);
  }

  @Test
  void webhookPayloadMatchesItsGoldenFiles() throws IOException {
    check(ReceiverSpec.Kind.WEBHOOK);
  }

  @Test
  void alertmanagerV4PayloadMatchesItsGoldenFiles() throws IOException {
    check(ReceiverSpec.Kind.ALERTMANAGER);
  }

  @Test
  void slackPayloadMatchesItsGoldenFiles() throws IOException {
    check(ReceiverSpec.Kind.SLACK);
  }

  @Test
  void pagerDutyPayloadMatchesItsGoldenFiles() throws IOException {
    check(ReceiverSpec.Kind.PAGERDUTY);
  }

  @Test
  void teamsPayloadMatchesItsGoldenFiles() throws IOException {
    check(ReceiverSpec.Kind.TEAMS);
  }

  @Test
  void alertmanagerPayloadHasTheFieldsAlertmanagerConsumersRead() throws IOException {
    JsonNode body = render(ReceiverSpec.Kind.ALERTMANAGER, firing());
    assertThat(body.get("version").asText()).isEqualTo("4");
    assertThat(body.get("truncatedAlerts").asInt()).isZero();
    assertThat(body.get("commonLabels").get("alertname").asText()).isEqualTo("HostDown");
    assertThat(body.get("commonLabels").has("host")).as("host differs between the alerts").isFalse();
    assertThat(body.get("alerts").get(0).get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(body.get("alerts").get(0).get("generatorURL").asText()).isEqualTo(EXTERNAL + "/hosts/gpu-7");
    JsonNode done = render(ReceiverSpec.Kind.ALERTMANAGER, resolved());
    assertThat(done.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-11-03T10:19:30Z");
  }

  @Test
  void pagerDutyTriggersAndResolvesWithTheSameDedupKeyPerGroup() throws IOException {
    JsonNode trigger = render(ReceiverSpec.Kind.PAGERDUTY, firing());
    JsonNode resolve = render(ReceiverSpec.Kind.PAGERDUTY, resolved());
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(trigger.get("dedup_key").asText()).isEqualTo(resolve.get("dedup_key").asText()).hasSizeLessThan(256);
    assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
    assertThat(trigger.get("routing_key").asText()).isEqualTo("R0UTINGKEY");
  }

  @Test
  void slackEscapesItsControlCharactersAndColoursBySeverity() throws IOException {
    JsonNode body = render(ReceiverSpec.Kind.SLACK, firing());
    String text = body.toString();
    assertThat(text).contains("&amp; &lt;probe&gt; failed").doesNotContain("& <probe>");
    assertThat(body.get("attachments").get(0).get("color").asText()).isEqualTo(SlackRenderer.color(firing())).isEqualTo("#e01e5a");
    assertThat(render(ReceiverSpec.Kind.SLACK, resolved()).get("attachments").get(0).get("color").asText()).isEqualTo("#2eb67d");
  }

  @Test
  void renderingIsPure() {
    for (ReceiverSpec.Kind k : ReceiverSpec.Kind.values()) {
      byte[] one = Renderer.of(k).render(firing(), receiver(k), EXTERNAL);
      byte[] two = Renderer.of(k).render(firing(), receiver(k), EXTERNAL);
      assertThat(one).as(k.wire()).isEqualTo(two);
    }
  }

  private static JsonNode render(ReceiverSpec.Kind kind, Notification n) throws IOException {
    return PRETTY.readTree(Renderer.of(kind).render(n, receiver(kind), EXTERNAL));
  }

  private static void check(ReceiverSpec.Kind kind) throws IOException {
    for (Map.Entry<String, Notification> c : Map.of("firing", firing(), "resolved", resolved()).entrySet()) {
      String name = kind.wire() + "-" + c.getKey() + ".json";
      String actual = PRETTY.writeValueAsString(render(kind, c.getValue())).replace("\r\n", "\n") + "\n";
      if (Boolean.getBoolean("golden.update")) {
        Path file = Path.of("src/test/resources/dev/nines/server/notify/golden", name);
        Files.writeString(file, actual, UTF_8);
      }
      try (InputStream in = RenderersTest.class.getResourceAsStream("golden/" + name)) {
        assertThat(in).as("golden file " + name + " (run once with -Dgolden.update=true to create it)").isNotNull();
        assertThat(actual).as(name).isEqualTo(new String(in.readAllBytes(), UTF_8));
      }
    }
  }
}
