package dev.nines.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.util.ConcurrencyUtil;
import java.util.List;
import java.util.Map;

/**
 * The fleet's control port: lists the servers and sets their faults, including bringing a server
 * back from {@code down}, when its own port no longer answers.
 */
final class ControlServer {
  /** One line of {@code GET /sim/servers}. */
  record ServerEntry(int index, int port, String url, SimState state) {}

  private final List<SimServer> servers;
  private final ObjectMapper mapper;
  private Javalin app;
  private String host;

  ControlServer(List<SimServer> servers, ObjectMapper mapper) {
    this.servers = List.copyOf(servers);
    this.mapper = mapper;
  }

  void start(String bindHost, int port) {
    this.host = bindHost;
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.threadPool = ConcurrencyUtil.jettyThreadPool("sim-control", 2, 16, false);
      cfg.jetty.modifyServer(server -> server.setStopTimeout(0));
      cfg.routes.get("/health", ctx -> ctx.result(""));
      cfg.routes.get("/sim/servers", ctx -> json(ctx, 200, servers.stream()
          .map(s -> new ServerEntry(s.index(), s.port(), s.baseUrl(), s.state()))
          .toList()));
      cfg.routes.get("/sim/servers/{index}/state", ctx -> json(ctx, 200, server(ctx).state()));
      cfg.routes.get("/sim/servers/{index}/gpus", ctx -> json(ctx, 200, server(ctx).gpus()));
      cfg.routes.post("/sim/servers/{index}/fault", ctx -> {
        SimServer s = server(ctx);
        Fault fault = FaultJson.parse(mapper, ctx.body());
        try {
          s.setFault(fault);
        } catch (IllegalArgumentException e) {
          throw new BadRequest("invalid fault", e.getMessage());
        }
        json(ctx, 200, s.state());
      });
      cfg.routes.exception(BadRequest.class, (e, ctx) ->
          json(ctx, e.status(), Map.of("error", e.error(), "detail", e.detail())));
    });
    app.start(bindHost, port);
  }

  int port() {
    return app.port();
  }

  String baseUrl() {
    String h = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
  }

  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private SimServer server(Context ctx) {
    String raw = ctx.pathParam("index");
    int i;
    try {
      i = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new BadRequest("invalid server index", "index must be a whole number (was " + raw + ")");
    }
    if (i < 0 || i >= servers.size()) {
      throw new BadRequest(404, "no such server",
          "index must be between 0 and " + (servers.size() - 1) + " (was " + i + ")");
    }
    return servers.get(i);
  }

  private void json(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer", e);
    }
  }
}
