package dev.nines.agent.collect.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nines.agent.net.AgentHttp;
import dev.nines.protocol.GpuMetrics;
import dev.nines.protocol.GpuMetrics.XidEvent;
import dev.nines.protocol.GpuSection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpuCollectorsTest {
  private static final String SIM_JSON =
      """
      {"available":true,"unavailableReason":null,"source":"simulator","driverVersion":"sim-1.0",
       "gpus":[{"index":0,"uuid":"GPU-sim-0","name":"Simulated H100","utilGpuRatio":0.5,
                "utilMemoryRatio":0.25,"memoryTotalBytes":85899345920,"memoryUsedBytes":1024,
                "temperatureC":66.5,"powerDrawWatts":250.0,"powerLimitWatts":700.0,
                "eccUncorrectedVolatile":2,"throttleReasons":4,
                "throttleReasonNames":["sw_power_cap"],
                "xidEvents":[{"xid":79,"atMs":1700000000000}],"futureField":1}]}
      """;

  private final Clock clock = Clock.systemUTC();
  private final AgentHttp http = AgentHttp.create(Duration.ofSeconds(2));
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> path = new AtomicReference<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          path.set(ex.getRequestURI().getPath());
          byte[] body =
              (status.get() == 200 ? SIM_JSON : "{\"error\":\"boom\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void noneIsUnavailableWithTheReasonItWasTurnedOff() {
    try (GpuCollector c = GpuCollectors.open("none", null, null, clock)) {
      assertThat(c.collect())
          .isEqualTo(GpuSection.unavailable("none", "GPU collection disabled (--gpu none)"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "gpu", "nvml2", "sim", "sim:", "sim:ftp://host/x", "sim:/relative"})
  void rejectsASpecThatIsNotOneOfTheFourForms(String spec) {
    assertThatThrownBy(() -> GpuCollectors.open(spec, null, http, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--gpu");
  }

  @Test
  void rejectsANullSpecWithTheChoicesInTheMessage() {
    assertThatThrownBy(() -> GpuCollectors.open(null, null, http, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, nvml, none or sim:<url>");
  }

  @Test
  void simReadsTheSimulatorsGpuSection() {
    try (GpuCollector c = GpuCollectors.open("sim:" + base() + "/", null, http, clock)) {
      GpuSection s = c.collect();
      assertThat(path.get()).isEqualTo("/sim/gpus");
      assertThat(s)
          .isEqualTo(
              new GpuSection(
                  true,
                  null,
                  "sim",
                  "sim-1.0",
                  List.of(
                      new GpuMetrics(
                          0, "GPU-sim-0", "Simulated H100", 0.5, 0.25, 85_899_345_920L, 1024L,
                          66.5, 250.0, 700.0, 2L, 4L, List.of("sw_power_cap"),
                          List.of(new XidEvent(79, 1_700_000_000_000L))))));
    }
  }

  @Test
  void simServerErrorIsUnavailableWithTheStatus() {
    status.set(500);
    try (GpuCollector c = GpuCollectors.open("sim:" + base(), null, http, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).isFalse();
      assertThat(s.source()).isEqualTo("sim");
      assertThat(s.unavailableReason()).contains("HTTP 500").contains(base() + "/sim/gpus");
    }
  }

  @Test
  void simThatDoesNotAnswerIsUnavailableWithTheCause() {
    String url = base();
    server.stop(0);
    try (GpuCollector c = GpuCollectors.open("sim:" + url, null, http, clock)) {
      GpuSection s = c.collect();
      assertThat(s.available()).isFalse();
      assertThat(s.unavailableReason()).startsWith("GET " + url + "/sim/gpus failed: ");
    }
  }
}
