package dev.nines.console.connect;

import dev.nines.console.client.BackendClient;
import dev.nines.console.client.WhoAmI;

/**
 * A working connection: the client whose token the server accepted, and who that token is.
 *
 * @param client the backend client
 * @param me the token's name and role
 */
public record Connection(BackendClient client, WhoAmI me) {
  public Connection {
    if (client == null) {
      throw new IllegalArgumentException("client is required");
    }
    if (me == null) {
      throw new IllegalArgumentException("me is required");
    }
  }
}
