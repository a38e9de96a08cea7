package io.heady.agent.api;

import io.heady.agent.AgentState;
import io.heady.agent.executor.ExecutorVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The node API. Every route needs the join token: only the manager (or an operator holding the join
 * token) may look at or dispatch to a node.
 */
public final class NodeApiVerticle extends VerticleBase {
  private final AgentState state;
  private final ExecutorVerticle executor;
  private final String host;
  private final int port;
  private final String joinToken;
  private final long maxBody;
  private HttpServer server;

  public NodeApiVerticle(AgentState state, ExecutorVerticle executor, String host, int port, String joinToken,
      long maxBody) {
    this.state = state;
    this.executor = executor;
    this.host = host;
    this.port = port;
    this.joinToken = joinToken;
    this.maxBody = maxBody;
  }

  @Override
  public Future<?> start() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false).setBodyLimit(maxBody));
    r.route("/api/node/*").handler(this::auth);
    r.get("/api/node/health").handler(rc -> json(rc, 200, executor.health()));
    r.get("/api/node/system").handler(rc -> json(rc, 200, new JsonObject()
        .put("node_id", state.nodeId())
        .put("hardware", state.hardware() == null ? null : state.hardware().toJson())
        .put("capabilities", new io.vertx.core.json.JsonArray(state.capabilities()))
        .put("system_stats", state.stats().toJson())
        .put("jvm", new JsonObject().put("version", System.getProperty("java.version"))
            .put("heap_used_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20)
            .put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20))));
    r.get("/api/node/tasks").handler(rc -> json(rc, 200, new JsonObject()
        .put("node_id", state.nodeId())
        .put("running", executor.running())
        .put("max_concurrent", executor.slots().limit())
        .put("tasks", executor.slots().snapshot())
        .put("pending_reports", executor.reports().size())));
    r.post("/api/node/task").handler(rc -> {
      JsonObject body;
      try {
        body = rc.body().asJsonObject();
      } catch (RuntimeException e) {
        body = null;
      }
      if (body == null) {
        error(rc, 400, "BAD_JSON", "the body must be a JSON dispatch");
        return;
      }
      int status = executor.admit(body);
      switch (status) {
        case 202 -> json(rc, 202, new JsonObject().put("accepted", true));
        case 409 -> error(rc, 409, "DUPLICATE", "this node already runs that task");
        case 429 -> error(rc, 429, "NODE_FULL", "every slot of this node is busy");
        case 503 -> error(rc, 503, "SHUTTING_DOWN", "this node is shutting down");
        default -> error(rc, 400, "INVALID_FIELD", "the dispatch is not valid");
      }
    });
    r.get("/api/node/tasks/:id/log").handler(rc -> {
      long offset = parse(rc.queryParams().get("offset"), 0);
      int max = (int) parse(rc.queryParams().get("max"), 65536);
      executor.readLog(rc.pathParam("id"), offset, max).onComplete(ar -> {
        if (ar.failed()) {
          error(rc, 500, "INTERNAL", "cannot read the log");
        } else if (ar.result() == null) {
          error(rc, 404, "NOT_FOUND", "no log for that task on this node");
        } else {
          json(rc, 200, ar.result());
        }
      });
    });
    r.post("/api/node/tasks/:id/cancel").handler(rc -> {
      String lease = null;
      try {
        JsonObject b = rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
        lease = b == null ? null : b.getString("lease_id");
      } catch (RuntimeException e) {
        lease = null;
      }
      boolean c = executor.cancel(rc.pathParam("id"), lease);
      json(rc, 200, new JsonObject().put("cancelled", c));
    });
    r.route().last().handler(rc -> error(rc, 404, "NOT_FOUND", "no route " + rc.request().path()));
    r.route().failureHandler(rc -> error(rc, rc.statusCode() == 413 ? 413 : 400,
        rc.statusCode() == 413 ? "BODY_TOO_LARGE" : "BAD_REQUEST", "request refused"));
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false).setHost(host).setPort(port));
    return server.requestHandler(r).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static long parse(String raw, long def) {
    try {
      return raw == null ? def : Math.max(0, Long.parseLong(raw));
    } catch (NumberFormatException e) {
      return def;
    }
  }

  private void auth(RoutingContext rc) {
    String h = rc.request().getHeader("Authorization");
    String t = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
    if (!MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), joinToken.getBytes(StandardCharsets.UTF_8))) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"heady-node\"");
      error(rc, 401, "UNAUTHORIZED", "the node API needs Authorization: Bearer <join token>");
      return;
    }
    rc.next();
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext rc, int status, String code, String message) {
    json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonObject())));
  }
}
