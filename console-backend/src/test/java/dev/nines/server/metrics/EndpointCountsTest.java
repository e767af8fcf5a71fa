package dev.nines.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
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
  void aReportWithoutEndpointsCountsNothing() throws IOException {
    assertThat(EndpointCounts.parse(JSON, "{\"agentId\":\"h1\",\"endpoints\":[]}")).isEmpty();
    assertThat(EndpointCounts.parse(JSON, "{\"agentId\":\"h1\"}")).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIsAnError() {
    assertThatThrownBy(() -> EndpointCounts.parse(JSON, "{\"endpoints\":[{\"url\":")).isInstanceOf(IOException.class);
  }
}
