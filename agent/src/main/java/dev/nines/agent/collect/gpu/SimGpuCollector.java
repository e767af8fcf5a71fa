package dev.nines.agent.collect.gpu;

import dev.nines.agent.json.WireJson;
import dev.nines.protocol.GpuSection;
import java.io.IOException;
import dev.nines.agent.net.AgentHttp;
import dev.nines.agent.net.Request;
import dev.nines.agent.net.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Simulated GPUs: asks the simulator's {@code GET <url>/sim/gpus}, which answers a {@link
 * GpuSection} as JSON. Any failure gives an unavailable section with the reason.
 */
final class SimGpuCollector implements GpuCollector {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Largest answer read; eight simulated GPUs take a few KiB. */
  static final int MAX_ANSWER_BYTES = 1 << 20;

  private static final Map<String, String> HEADERS =
      Map.of("Accept", "application/json", "User-Agent", "nines-agent");

  private final AgentHttp http;
  private final URI uri;
  private final Request request;

  SimGpuCollector(AgentHttp http, URI base) {
    this.http = Objects.requireNonNull(http, "http");
    String b = base.toString();
    this.uri = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/sim/gpus");
    this.request = Request.get(uri, HEADERS, TIMEOUT, MAX_ANSWER_BYTES);
  }

  URI uri() {
    return uri;
  }

  @Override
  public GpuSection collect() {
    try {
      Response resp = http.send(request);
      if (resp.status() != 200) {
        return unavailable("GET " + uri + " answered HTTP " + resp.status());
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
