package dev.nines.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShipperConfigTest {
  @Test
  void parsesACommaSeparatedServerList() {
    assertThat(ShipperConfig.parseServers(" http://a:7070, https://b:7070/ ,"))
        .containsExactly(URI.create("http://a:7070"), URI.create("https://b:7070/"));
  }

  @Test
  void reportsPathIsAppendedWithoutADoubleSlash() {
    assertThat(ShipperConfig.reportsUri(URI.create("http://a:7070/")))
        .isEqualTo(URI.create("http://a:7070/api/v1/reports"));
    assertThat(ShipperConfig.reportsUri(URI.create("http://a:7070/nines")))
        .isEqualTo(URI.create("http://a:7070/nines/api/v1/reports"));
  }

  @Test
  void refusesMissingOrNonHttpServersNamingTheField() {
    assertThatThrownBy(() -> ShipperConfig.of(List.of(), "t")).hasMessageContaining("servers");
    assertThatThrownBy(() -> ShipperConfig.of(List.of(URI.create("ftp://a")), "t"))
        .hasMessageContaining("servers");
    assertThatThrownBy(() -> ShipperConfig.parseServers(" ")).hasMessageContaining("server");
  }

  @Test
  void neverPrintsTheToken() {
    assertThat(ShipperConfig.of(List.of(URI.create("http://a:7070")), "s3cret").toString())
        .doesNotContain("s3cret").contains("***");
  }
}
