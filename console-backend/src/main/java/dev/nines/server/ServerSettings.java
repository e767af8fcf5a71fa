package dev.nines.server;

import dev.nines.server.auth.TokenService;
import java.nio.file.Path;

/**
 * How to start a server.
 *
 * @param bindHost the address to listen on ({@code 0.0.0.0} for every interface)
 * @param port the TCP port; 0 picks a free one ({@link NinesServer#port()} tells which)
 * @param db a SQLite file path or a {@code jdbc:sqlite:} URL; other JDBC URLs are not supported yet
 * @param configFile the YAML configuration ({@link dev.nines.server.config.ServerConfig}), or null for the
 *     defaults; must exist and be valid when given
 * @param adminToken the first admin token, or null to have one generated (and printed once)
 */
public record ServerSettings(String bindHost, int port, String db, Path configFile, String adminToken) {
  public ServerSettings {
    if (bindHost == null || bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is required");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535 (was " + port + ")");
    }
    if (db == null || db.isBlank()) {
      throw new IllegalArgumentException("db is required: a SQLite file path or a jdbc:sqlite: URL");
    }
    if (adminToken != null) {
      TokenService.checkPlaintext("adminToken", adminToken);
    }
  }

  /** Settings for a server on this port with a database file, a generated admin token, no config. */
  public static ServerSettings of(int port, String db) {
    return new ServerSettings("0.0.0.0", port, db, null, null);
  }
}
