package dev.nines.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class MustForwardTest {
  @Test
  void everyWriteUnderTheApiIsForwardedExceptReports() {
    assertThat(LeaderForwarder.mustForward("POST", "/api/v1/hosts/h1/drain")).isTrue();
    assertThat(LeaderForwarder.mustForward("PUT", "/api/v1/pools/p/config")).isTrue();
    assertThat(LeaderForwarder.mustForward("PATCH", "/api/v1/anything")).isTrue();
    assertThat(LeaderForwarder.mustForward("DELETE", "/api/v1/tokens/t")).isTrue();
    assertThat(LeaderForwarder.mustForward("post", "/api/v1/silences")).isTrue();
    assertThat(LeaderForwarder.mustForward("POST", "/api/v1/reports")).isFalse();
    assertThat(LeaderForwarder.mustForward("POST", "/api/v1/reports/")).isFalse();
    assertThat(LeaderForwarder.mustForward("POST", "/api/v1/reports/uptime")).isTrue();
  }

  @Test
  void onlyListedGetsAreForwardedWithParametersMatchingOneNonEmptySegment() {
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/pools/p1/routing")).isTrue();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/pools/p1/routing/")).isTrue();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/pools/a%2Fb/routing")).isTrue();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/pools//routing")).isFalse();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/pools/p1/routing/x")).isFalse();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/alerts")).isTrue();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/hosts")).isFalse();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/hosts/h1/routing")).isFalse();
    assertThat(LeaderForwarder.mustForward("GET", "/api/v1/events")).isFalse();
  }

  @Test
  void nothingOutsideTheApiIsForwarded() {
    assertThat(LeaderForwarder.mustForward("GET", "/metrics")).isFalse();
    assertThat(LeaderForwarder.mustForward("GET", "/readyz")).isFalse();
    assertThat(LeaderForwarder.mustForward("POST", "/healthz")).isFalse();
    assertThat(LeaderForwarder.mustForward("POST", "/api/v10/hosts")).isFalse();
    assertThat(LeaderForwarder.mustForward("HEAD", "/api/v1/alerts")).isFalse();
  }

  @Test
  void theTargetKeepsTheRawPathAndQueryOnTheLeadersBase() {
    assertThat(LeaderForwarder.target(URI.create("http://10.0.0.2:8080/"), "/api/v1/hosts/a%2Fb/drain", "x=a%20b"))
        .hasToString("http://10.0.0.2:8080/api/v1/hosts/a%2Fb/drain?x=a%20b");
    assertThat(LeaderForwarder.target(URI.create("http://[::1]:8080"), "/api/v1/alerts", null))
        .hasToString("http://[::1]:8080/api/v1/alerts");
  }
}
