package dev.nines.console.client;

/** Where the event stream stands, for the console's connection indicator. */
public enum ConnectionState {
  /** The first connection is being made. */
  CONNECTING,
  /** Connected: events arrive as they happen. */
  LIVE,
  /** The connection was lost (or the server answered an error); trying again with backoff. */
  RECONNECTING,
  /** The token was refused (401/403): no more tries until the connection is changed. */
  UNAUTHORIZED,
  /** The server cannot be reached; still trying, with backoff. */
  UNREACHABLE
}
