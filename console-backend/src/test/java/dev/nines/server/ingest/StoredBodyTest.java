package dev.nines.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredBodyTest {

  @Test
  void storesUtf8JsonObjectsAsReceived() {
    assertThat(IngestController.storableAsReceived(bytes("{\"a\":1}", StandardCharsets.UTF_8))).isTrue();
    assertThat(IngestController.storableAsReceived(bytes(" \r\n\t{\"a\":\"é\"}", StandardCharsets.UTF_8))).isTrue();
  }

  @Test
  void writesAgainWhatIsNotPlainUtf8Text() {
    assertThat(IngestController.storableAsReceived(bytes("{\"a\":1}", StandardCharsets.UTF_16LE))).isFalse();
    assertThat(IngestController.storableAsReceived(bytes("{\"a\":1}", StandardCharsets.UTF_16BE))).isFalse();
    assertThat(IngestController.storableAsReceived(bytes("\uFEFF{\"a\":1}", StandardCharsets.UTF_8))).isFalse();
    assertThat(IngestController.storableAsReceived(bytes("{", StandardCharsets.UTF_8))).isFalse();
    assertThat(IngestController.storableAsReceived(bytes("  ", StandardCharsets.UTF_8))).isFalse();
  }

  private static byte[] bytes(String s, java.nio.charset.Charset cs) {
    return s.getBytes(cs);
  }
}
