package dev.nines.agent.net;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An answer read in full by {@link AgentHttp#send}.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type} header, or null
 * @param retryAfter the {@code Retry-After} header as sent, or null
 * @param body the body (empty when there was none)
 */
public record Response(int status, String contentType, String retryAfter, byte[] body) {
  public Response {
    Objects.requireNonNull(body, "body");
  }

  /** True for a 2xx status. */
  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HTTP " + status + " (" + body.length + " bytes)";
  }
}
