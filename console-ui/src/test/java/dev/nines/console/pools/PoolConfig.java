package dev.nines.console.pools;

import dev.nines.console.client.LiveBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sets a pool's settings on a live backend as an admin would ({@code PUT /api/v1/pools/{id}/config}). */
final class PoolConfig {
  private PoolConfig() {}

  static void put(LiveBackend backend, String pool, String json) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(backend.uri() + "/api/v1/pools/" + pool + "/config"))
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", "Bearer " + LiveBackend.ADMIN)
                      .header("Content-Type", "application/json")
                      .PUT(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("PUT config of " + pool + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
