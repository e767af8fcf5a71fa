package dev.nines.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a request reaches a route (a malformed URI, headers too
 * large, an ambiguous path), in the same JSON shape as every other error instead of Jetty's HTML
 * page, and with {@code Connection: close}.
 */
final class JettyJsonErrors extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    String error = code < 500 ? "bad request" : "unavailable";
    String detail = message == null || message.isBlank() ? "HTTP " + code : message;
    String body = "{\"error\":" + quote(error) + ",\"detail\":" + quote(detail) + "}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    // The request was refused before its body was read: the connection cannot carry another
    // request, and the client must know it (else it reuses the connection and fails on the next).
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
