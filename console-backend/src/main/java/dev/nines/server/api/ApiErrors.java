package dev.nines.server.api;

import dev.nines.protocol.ApiError;
import dev.nines.server.auth.AuthException;
import dev.nines.server.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every failure becomes a JSON {@code {"error", "detail"}}. The caller's
 * mistakes are 4xx; only our own faults are 5xx (503 when the database or the write queue cannot take
 * more, 500 for a bug, logged).
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Registers the mapper on a Javalin configuration. */
  public static void install(JavalinConfig config) {
    config.routes.exception(Exception.class, (e, ctx) -> handle(e, ctx));
    // Javalin answers its own HttpResponseExceptions (404 for an unknown path, 405) in plain text
    // unless a handler is registered for exactly that class.
    config.routes.exception(HttpResponseException.class, (e, ctx) -> handle(e, ctx));
    // What Jetty refuses before routing (bad URI, oversized headers) is JSON as well.
    config.jetty.modifyServer(server -> server.setErrorHandler(new JettyJsonErrors()));
    config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyJsonErrors()));
    // Jetty's per-connection header cache matches values case-insensitively by default: a request
    // carrying "Bearer NINES_..." after one with the real token on the same connection would be
    // handed the cached, correctly-cased header. Bearer tokens are case-sensitive secrets.
    config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
  }

  static void handle(Throwable e, Context ctx) {
    try {
      map(e, ctx);
    } catch (RuntimeException failed) {
      // The request may be gone already (client left, server stopping): nothing to answer.
      LOG.debug("could not answer a failed request: {}", failed.toString());
    }
  }

  private static void map(Throwable e, Context ctx) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) {
      a.headers().forEach(ctx::header);
      answer(ctx, a.status(), a.error(), a.detail());
    } else if (t instanceof AuthException a) {
      if (a.status() == 401) {
        ctx.header("WWW-Authenticate", "Bearer");
      }
      answer(ctx, a.status(), a.error(), a.getMessage());
    } else if (t instanceof HttpResponseException h) {
      answer(ctx, h.getStatus(), errorFor(h.getStatus()), detailFor(h, ctx));
    } else if (t instanceof dev.nines.server.store.FencedException f) {
      LOG.warn("refused on {} {}: {}", ctx.method(), ctx.path(), f.getMessage());
      ctx.header("Retry-After", "2");
      answer(ctx, 503, "not the leader", "this replica no longer leads; nothing was changed: retry (" + f.getMessage() + ")");
    } else if (t instanceof StoreException s) {
      LOG.error("storage failed on {} {}: {}", ctx.method(), ctx.path(), s.getMessage(), s);
      ctx.header("Retry-After", "5");
      answer(ctx, 503, "storage unavailable", "the database did not answer; retry later");
    } else {
      LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), t);
      answer(ctx, 500, "internal error", null);
    }
  }

  private static void answer(Context ctx, int status, String error, Object detail) {
    ctx.status(status).json(new ApiError(error, detail));
  }

  private static String errorFor(int status) {
    switch (status) {
      case 400:
        return "bad request";
      case 404:
        return "not found";
      case 405:
        return "method not allowed";
      case 413:
        return "request too large";
      default:
        return status < 500 ? "bad request" : "unavailable";
    }
  }

  private static Object detailFor(HttpResponseException h, Context ctx) {
    if (h.getStatus() == 404) {
      return ctx.method() + " " + ctx.path() + " does not exist";
    }
    Map<String, String> details = h.getDetails();
    return details.isEmpty() ? h.getMessage() : Map.of("message", h.getMessage(), "details", details);
  }
}
