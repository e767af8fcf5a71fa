package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FaultJsonTest {
  final ObjectMapper mapper = new ObjectMapper();

  Fault parse(String body) {
    return FaultJson.parse(mapper, body);
  }

  @Test
  void parsesEveryModeWithItsDefaults() {
    assertThat(parse("{\"mode\":\"none\"}")).isEqualTo(Fault.none());
    assertThat(parse("{\"mode\":\"slow\",\"latencyMs\":250}")).isEqualTo(Fault.slow(250));
    assertThat(parse("{\"mode\":\"errors\",\"rate\":0.3}")).isEqualTo(Fault.errors(0.3));
    assertThat(parse("{\"mode\":\"hang\",\"durationMs\":1000}"))
        .isEqualTo(Fault.hang().withDurationMs(1000));
    assertThat(parse("{\"mode\":\"down\"}")).isEqualTo(Fault.down());
    assertThat(parse("{\"mode\":\"gpu-hot\"}")).isEqualTo(Fault.gpuHot(null));
    assertThat(parse("{\"mode\":\"gpu-ecc\",\"gpu\":1}")).isEqualTo(Fault.gpuEcc(1, 1));
    assertThat(parse("{\"mode\":\"gpu-lost\",\"gpu\":0}")).isEqualTo(Fault.gpuLost(0));
    assertThat(parse("{\"mode\":\"gpu-xid\",\"gpu\":0}")).isEqualTo(Fault.gpuXid(0, 79));
  }

  @Test
  void unknownModeIsRejectedWithTheModesListed() {
    assertThatThrownBy(() -> parse("{\"mode\":\"melt\"}"))
        .isInstanceOf(BadRequest.class)
        .hasMessage("unknown fault mode")
        .extracting(e -> ((BadRequest) e).detail()).asString().contains("melt", "gpu-hot");
  }

  @Test
  void badValuesNameTheField() {
    assertThat(detail("{\"mode\":\"errors\",\"rate\":1.5}")).contains("rate");
    assertThat(detail("{\"mode\":\"errors\"}")).contains("rate");
    assertThat(detail("{\"mode\":\"slow\",\"latencyMs\":-1}")).contains("latencyMs");
    assertThat(detail("{\"mode\":\"slow\",\"latencyMs\":1.5}")).contains("latencyMs");
    assertThat(detail("{\"mode\":\"gpu-ecc\",\"count\":0}")).contains("count");
    assertThat(detail("{\"mode\":\"gpu-hot\",\"gpu\":-1}")).contains("gpu");
    assertThat(detail("{\"mode\":\"down\",\"durationMs\":-5}")).contains("durationMs");
    assertThat(detail("{\"mode\":\"slow\",\"latencyMs\":5,\"gpu\":0}")).contains("gpu");
    assertThat(detail("{\"mode\":\"slow\",\"latencyMs\":5,\"colour\":\"red\"}")).contains("colour");
    assertThat(detail("{\"latencyMs\":5}")).contains("mode");
    assertThat(detail("{\"mode\":\"slow\"")).contains("JSON");
    assertThat(detail("42")).contains("object");
  }

  private String detail(String body) {
    try {
      parse(body);
    } catch (BadRequest e) {
      assertThat(e.status()).isEqualTo(400);
      return e.detail();
    }
    throw new AssertionError("accepted " + body);
  }
}
