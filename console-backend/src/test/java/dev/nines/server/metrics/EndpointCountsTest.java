package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.GpuSection;
import dev.nines.protocol.HostMetrics;
import dev.nines.protocol.ProbeResult;
import dev.nines.protocol.Protocol;
import dev.nines.protocol.ServerStats;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointCountsTest {
  static final JsonFactory JSON = new JsonFactory();

  @Test
  void readsOnlyUrlAndScrapeCountsOfEveryEndpoint() throws IOException {
    String body =
        "{\"version\":1,\"agentId\":\"h1\",\"labels\":{\"pool\":\"p\",\"requests\":\"7\"},"
            + "\"gpu\":{\"gpus\":[{\"index\":0,\"xidEvents\":[{\"xid\":79}]}]},"
            + "\"endpoints\":[{\"url\":\"http://a:8000\",\"kind\":\"vllm\",\"health\":{\"ok\":true,\"latencyMs\":2.0},"
            + "\"scrape\":{\"ok\":true,\"requests\":120,\"errors\":3,\"latencyP50Ms\":80.0,\"extra\":{\"requests\":9}}},"
            + "{\"scrape\":{\"requests\":5},\"url\":\"http://b:8000\"},"
            + "{\"url\":\"http://c:8000\",\"scrape\":null}],"
            + "\"seq\":4}";

    assertThat(EndpointCounts.parse(JSON, body))
        .containsExactly(
            new EndpointCounts("http://a:8000", 120, 3),
            new EndpointCounts("http://b:8000", 5, 0),
            new EndpointCounts("http://c:8000", 0, 0));
  }

  @Test
  void spacedJsonAndAnEndpointsLabelAreReadToo() throws IOException {
    String body =
        "{ \"labels\": {\"endpoints\": \"\\\"endpoints\\\":[\"}, \"endpoints\" : [ {\"url\": \"http://a\","
            + " \"scrape\": {\"requests\": 2, \"errors\": 1}} ], \"seq\": 1 }";

    assertThat(EndpointCounts.parse(JSON, body)).containsExactly(new EndpointCounts("http://a", 2, 1));
  }

  @Test
  void theCountsOfAStoredFixtureReportAreRead() throws IOException {
    String body =
        dev.nines.server.api.Json.storage()
            .writeValueAsString(
                new AgentReport(
                    Protocol.CURRENT_VERSION, "h1", 1, 1_700_000_000_000L, 5000, Map.of("pool", "p"), "0.1.0",
                    new HostMetrics(0.5, 4, null, null, null, 100, 50, 0, 0, 10, List.of(), List.of()),
                    GpuSection.unavailable("none", "no NVML"),
                    List.of(
                        new EndpointReport(
                            "http://127.0.0.1:8000", "vllm", new ProbeResult(true, 200, 1.0, false, null, 1L), null,
                            new ServerStats(true, null, "vllm", 120L, 3L, null, null, null, null, null, null, 0)))));

    assertThat(EndpointCounts.parse(JSON, body)).containsExactly(new EndpointCounts("http://127.0.0.1:8000", 120, 3));
  }

  @Test
  void aReportWithoutEndpointsCountsNothing() throws IOException {
    assertThat(EndpointCounts.parse(JSON, "{\"agentId\":\"h1\",\"endpoints\":[]}")).isEmpty();
    assertThat(EndpointCounts.parse(JSON, "{\"agentId\":\"h1\"}")).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIsAnError() {
    assertThatThrownBy(() -> EndpointCounts.parse(JSON, "{\"endpoints\":[{\"url\":")).isInstanceOf(IOException.class);
  }
}
