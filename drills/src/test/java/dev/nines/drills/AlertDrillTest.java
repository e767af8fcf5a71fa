package dev.nines.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault to webhook with default settings: a backend process without any configuration, agents at
 * their default report interval (5 s), one receiver registered over the API with only its URL and a
 * secret. A fatal XID injected into a simulated GPU must reach the receiver, signed, within 10 s.
 */
class AlertDrillTest {
  private static final String TOKEN = "alert-drill-admin-token-0123456789";
  private static final String SECRET = "drill-webhook-secret";
  /** The agent's default report interval ({@code --interval}). */
  private static final Duration AGENT_DEFAULT_INTERVAL = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void aFatalXidReachesTheWebhookSignedWithinTenSecondsWithDefaultSettings() throws IOException {
    try (SimServers sims = SimServers.start(2);
        WebhookReceiver hook = WebhookReceiver.start(SECRET);
        BackendProcess backend = BackendProcess.start(dir, TOKEN)) {
      BackendProcess.Answer created =
          backend.post(
              "/api/v1/webhooks",
              "{\"id\": \"oncall\", \"kind\": \"webhook\", \"url\": \"" + hook.url() + "\", \"secret\": \""
                  + SECRET + "\"}");
      assertThat(created.status()).as("POST /webhooks answered %s", created.body()).isEqualTo(201);
      try (Agents agents =
          Agents.start(sims.servers(), backend.url(), TOKEN, "llm", dir, AGENT_DEFAULT_INTERVAL)) {
        await("both hosts HEALTHY")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> backend.hostHealth().equals(Map.of("host-1", "HEALTHY", "host-2", "HEALTHY")));

        long faultAt = System.nanoTime();
        sims.fault(0, "{\"mode\": \"gpu-xid\", \"xid\": 79}");
        await("a firing gpu-fault alert for host-1 at the receiver")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> hook.firstFiring("gpu-fault", "host-1") != null);
        WebhookReceiver.Delivery d = hook.firstFiring("gpu-fault", "host-1");
        double seconds = (d.arrivedNanos() - faultAt) / 1e9;
        String line = String.format(Locale.ROOT, "alert-to-webhook: fatal XID 79 on host-1 -> firing gpu-fault at the receiver in %.2f s (agent interval %d s, defaults)",
            seconds, AGENT_DEFAULT_INTERVAL.toSeconds());
        System.out.println(line);
        Files.writeString(DrillReport.FIGURES, line + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        assertThat(seconds).as("fault -> webhook").isLessThanOrEqualTo(10.0);
        assertThat(d.signatureOk()).as("signature of event %s", d.eventId()).isTrue();
        assertThat(d.eventId()).isNotBlank();
        assertThat(hook.deliveries()).allMatch(WebhookReceiver.Delivery::signatureOk);
      }
    }
  }
}
