package dev.nines.agent.ship;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the {@link Shipper} talks to the backends.
 *
 * @param servers backend base URLs (e.g. {@code http://nines-a:7070}), tried in order; at least one
 * @param token bearer token sent as {@code Authorization: Bearer <token>}; null or blank sends none
 * @param requestTimeout timeout of one POST (also the connect timeout)
 * @param replayBudget once a {@code ship} call has spent this long sending, it stops replaying and
 *     returns (a send in flight finishes first, so one call may last budget + requestTimeout x
 *     number of servers in the worst case)
 */
public record ShipperConfig(
    List<URI> servers, String token, Duration requestTimeout, Duration replayBudget) {

  /** 5 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** 3 s. */
  public static final Duration DEFAULT_REPLAY_BUDGET = Duration.ofSeconds(3);

  public ShipperConfig {
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException("servers must name at least one backend URL");
    }
    servers = List.copyOf(servers);
    for (URI server : servers) {
      String scheme = server.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("servers must be http(s) URLs (was '" + server + "')");
      }
      if (server.getHost() == null) {
        throw new IllegalArgumentException("servers must name a host (was '" + server + "')");
      }
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive (was " + requestTimeout + ")");
    }
    if (replayBudget == null || replayBudget.isNegative()) {
      throw new IllegalArgumentException("replayBudget must be >= 0 (was " + replayBudget + ")");
    }
  }

  /** Default timeouts. */
  public static ShipperConfig of(List<URI> servers, String token) {
    return new ShipperConfig(servers, token, DEFAULT_REQUEST_TIMEOUT, DEFAULT_REPLAY_BUDGET);
  }

  /** Parses a comma-separated list as given to {@code --server}. */
  public static List<URI> parseServers(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      throw new IllegalArgumentException("server must name at least one backend URL");
    }
    return java.util.Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> {
          try {
            return URI.create(s);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server '" + s + "' is not a URL: " + e.getMessage());
          }
        })
        .toList();
  }

  /** The reports endpoint of a server: its base URL without a trailing slash + the API path. */
  static URI reportsUri(URI server) {
    String base = server.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + dev.nines.protocol.Protocol.REPORTS_PATH);
  }

  @Override
  public String toString() {
    // Never print the token.
    return "ShipperConfig[servers=" + servers + ", token=" + (token == null ? "none" : "***")
        + ", requestTimeout=" + requestTimeout + ", replayBudget=" + replayBudget + "]";
  }
}
