package dev.nines.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProbesTest {
  @Test
  void readinessFollowsTheDatabaseWhileLivenessStaysUp() throws Exception {
    AtomicBoolean dbAnswers = new AtomicBoolean(true);
    Probes probes = new Probes(dbAnswers::get);
    Javalin app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.routes.get("/healthz", probes::healthz);
                  cfg.routes.get("/readyz", probes::readyz);
                })
            .start("127.0.0.1", 0);
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + app.port() + "/readyz");
      URI alive = URI.create("http://127.0.0.1:" + app.port() + "/healthz");
      assertThat(status(http, ready)).isEqualTo(200);
      dbAnswers.set(false);
      assertThat(status(http, ready)).isEqualTo(503);
      assertThat(status(http, alive)).isEqualTo(200);
    } finally {
      app.stop();
    }
  }

  private static int status(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
