package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.replica.LeaderForwarder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the forwarder's route decision complete: every route of the real server under
 * {@code /api/v1/} is either forwarded to the leader or listed as served locally, and every route
 * in those lists exists. A new GET route fails here until it is put in one of the two lists.
 */
class LeaderForwarderRoutesTest {
  @TempDir Path dir;

  @Test
  void everyApiRouteOfTheServerHasAForwardingDecision() {
    List<String> routes;
    try (NinesServer server = Fixtures.start(dir)) {
      routes = server.routes();
    }
    Set<String> gets = new HashSet<>();
    List<String> writesServedLocally = new ArrayList<>();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      if (!path.startsWith("/api/v1/")) {
        assertThat(LeaderForwarder.mustForward(method, path)).as(route).isFalse();
        continue;
      }
      if (method.equals("GET")) {
        gets.add(path);
        assertThat(LeaderForwarder.mustForward(method, path))
            .as(route)
            .isEqualTo(LeaderForwarder.FORWARDED_GETS.contains(path));
      } else if (!LeaderForwarder.mustForward(method, path)) {
        writesServedLocally.add(route);
      }
    }
    assertThat(writesServedLocally).containsExactly("POST /api/v1/reports");
    Set<String> decided = new HashSet<>(LeaderForwarder.FORWARDED_GETS);
    decided.addAll(LeaderForwarder.LOCAL_GETS);
    assertThat(decided).as("GET routes with a decision").isEqualTo(gets);
    assertThat(LeaderForwarder.FORWARDED_GETS).doesNotContainAnyElementsOf(LeaderForwarder.LOCAL_GETS);
  }
}
