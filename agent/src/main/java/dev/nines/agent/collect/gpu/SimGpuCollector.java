package dev.nines.agent.collect.gpu;

import dev.nines.agent.json.WireJson;
import dev.nines.protocol.GpuSection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Simulated GPUs: asks the simulator's {@code GET <url>/sim/gpus}, which answers a {@link
 * GpuSection} as JSON. Any failure gives an unavailable section with the reason.
 */
final class SimGpuCollector implements GpuCollector {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http;
  private final URI uri;

  SimGpuCollector(HttpClient http, URI base) {
    this.http = Objects.requireNonNull(http, "http");
    String b = base.toString();
    this.uri = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/sim/gpus");
  }

  URI uri() {
    return uri;
  }

  @Override
  public GpuSection collect() {
    HttpRequest req =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
    try {
      HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        return unavailable("GET " + uri + " answered HTTP " + resp.statusCode());
      }
      GpuSection s = WireJson.readGpuSection(resp.body());
      if (s == null) {
        return unavailable("GET " + uri + " answered an empty body");
      }
      return new GpuSection(
          s.available(), s.unavailableReason(), "sim", s.driverVersion(), s.gpus());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("GET " + uri + " interrupted");
    } catch (IOException | RuntimeException e) {
      return unavailable("GET " + uri + " failed: " + e);
    }
  }

  private static GpuSection unavailable(String reason) {
    return GpuSection.unavailable("sim", NvmlGpuCollector.clip(reason));
  }

  @Override
  public void close() {}
}
