package dev.nines.server;

import dev.nines.server.auth.TokenService;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to start a server.
 *
 * @param bindHost the address to listen on ({@code 0.0.0.0} for every interface)
 * @param port the TCP port; 0 picks a free one ({@link NinesServer#port()} tells which)
 * @param db a SQLite file path, a {@code jdbc:sqlite:} or a {@code jdbc:postgresql:} URL
 * @param configFile the YAML configuration ({@link dev.nines.server.config.ServerConfig}), or null for the
 *     defaults; must exist and be valid when given
 * @param adminToken the first admin token, or null to have one generated (and printed once)
 * @param rawRetention how long raw samples and report bodies are kept (default 48 h; at least 1 h)
 * @param minuteRetention how long 1-minute rollups are kept (default 30 days; at least rawRetention)
 * @param hourRetention how long 1-hour rollups are kept (default 400 days; at least minuteRetention)
 */
public record ServerSettings(
    String bindHost,
    int port,
    String db,
    Path configFile,
    String adminToken,
    Duration rawRetention,
    Duration minuteRetention,
    Duration hourRetention) {
  public static final Duration DEFAULT_RAW_RETENTION = Duration.ofHours(48);
  public static final Duration DEFAULT_MINUTE_RETENTION = Duration.ofDays(30);
  public static final Duration DEFAULT_HOUR_RETENTION = Duration.ofDays(400);

  /** Settings with the default retention periods. */
  public ServerSettings(String bindHost, int port, String db, Path configFile, String adminToken) {
    this(
        bindHost, port, db, configFile, adminToken, DEFAULT_RAW_RETENTION, DEFAULT_MINUTE_RETENTION,
        DEFAULT_HOUR_RETENTION);
  }

  public ServerSettings {
    if (bindHost == null || bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is required");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535 (was " + port + ")");
    }
    if (db == null || db.isBlank()) {
      throw new IllegalArgumentException("db is required: a SQLite file path, a jdbc:sqlite: or a jdbc:postgresql: URL");
    }
    if (adminToken != null) {
      TokenService.checkPlaintext("adminToken", adminToken);
    }
    if (rawRetention == null || rawRetention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("rawRetention must be at least 1h (was " + rawRetention + ")");
    }
    if (minuteRetention == null || minuteRetention.compareTo(rawRetention) < 0) {
      throw new IllegalArgumentException(
          "minuteRetention must be at least rawRetention (" + rawRetention + "; was " + minuteRetention + ")");
    }
    if (hourRetention == null || hourRetention.compareTo(minuteRetention) < 0) {
      throw new IllegalArgumentException(
          "hourRetention must be at least minuteRetention (" + minuteRetention + "; was " + hourRetention + ")");
    }
  }

  /** These settings with other retention periods. */
  public ServerSettings withRetention(Duration raw, Duration minute, Duration hour) {
    return new ServerSettings(bindHost, port, db, configFile, adminToken, raw, minute, hour);
  }

  /** Settings for a server on this port with a database file, a generated admin token, no config. */
  public static ServerSettings of(int port, String db) {
    return new ServerSettings("0.0.0.0", port, db, null, null);
  }
}
