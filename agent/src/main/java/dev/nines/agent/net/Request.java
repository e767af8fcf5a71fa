package dev.nines.agent.net;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request for {@link AgentHttp#send}.
 *
 * @param method {@code GET}, {@code POST}...
 * @param uri an absolute {@code http(s)://} URI
 * @param headers request headers, in order (one value each)
 * @param body the body to send, or null for none
 * @param timeout the limit on the whole exchange, from connecting to the answer's last byte
 * @param maxResponseBytes the largest answer body read; a larger one fails the request
 */
public record Request(
    String method,
    URI uri,
    Map<String, String> headers,
    byte[] body,
    Duration timeout,
    int maxResponseBytes) {
  public Request {
    Objects.requireNonNull(method, "method");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method must not be blank");
    }
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("uri must be an absolute http(s) URI (was '" + uri + "')");
    }
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive (was " + timeout + ")");
    }
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 0 (was " + maxResponseBytes + ")");
    }
  }

  /** A GET with the given headers. */
  public static Request get(URI uri, Map<String, String> headers, Duration timeout, int maxResponseBytes) {
    return new Request("GET", uri, headers, null, timeout, maxResponseBytes);
  }

  /** A POST of {@code body} with the given headers. */
  public static Request post(
      URI uri, Map<String, String> headers, byte[] body, Duration timeout, int maxResponseBytes) {
    return new Request("POST", uri, headers, Objects.requireNonNull(body, "body"), timeout, maxResponseBytes);
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
