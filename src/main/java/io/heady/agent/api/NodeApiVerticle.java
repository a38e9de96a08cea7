package io.heady.agent.api;

import io.heady.agent.AgentState;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.common.http.HttpLimits;
import io.heady.common.http.RequestGate;
import io.heady.common.http.Verdict;
import io.heady.common.identity.Seal;
import io.heady.common.node.DispatchAnswer;
import io.heady.common.node.NodeExecutor;
import io.heady.common.protocol.SignedBus;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The node API: the HTTP front of the node's {@link NodeExecutor} (the same core the node's event-bus
 * addresses answer with). Every route is declared with who may call it: the manager (a request sealed with this
 * node's pair key, which only the node and the manager hold: no token, not even the join token, runs anything
 * here), or for {@code POST /api/node/execute} the admin token, and only when the operator enabled it
 * ({@link NodeCallers}). A blanket check in front of every {@code /api/node/*} path refuses requests without a
 * known credential, so a route added without a declaration is still closed. The server sits behind a
 * {@link RequestGate}: the check runs on the request head, only an admitted request's body is read, and the
 * manager's seal is checked against that body before a route uses it.
 */
public final class NodeApiVerticle extends VerticleBase {
  /** Who may call a route: the manager (its seal), or a person with the admin token. */
  public enum Needs { MANAGER, ADMIN }

  /** One declared route. */
  public record Declared(String method, String path, Needs needs) {}

  /**
   * How the node API listens and whom it lets in.
   *
   * @param adminToken the cluster's admin token, or {@code null}: execute is refused
   * @param executeEnabled whether {@code POST /api/node/execute} runs anything (it also needs the admin token)
   * @param executeTimeoutMs an execute's timeout when its body names none
   * @param http timeouts and connection limits of the server (its body limit is {@code maxBody})
   */
  public record Settings(String host, int port, Seal seal, String adminToken, boolean executeEnabled,
      long maxBody, ServerTls tls, long executeTimeoutMs, HttpLimits http) {
    /** An execute's timeout when its body names none: five minutes. */
    public static final long EXECUTE_TIMEOUT_MS = 300_000;

    public Settings {
      http = (http == null ? HttpLimits.defaults(maxBody) : http).withMaxBody(maxBody);
    }

    /** With the default timeouts and connection limits. */
    public Settings(String host, int port, Seal seal, String adminToken, boolean executeEnabled,
        long maxBody, ServerTls tls, long executeTimeoutMs) {
      this(host, port, seal, adminToken, executeEnabled, maxBody, tls, executeTimeoutMs, null);
    }

    /** Whether execute can run at all. */
    public boolean executeAvailable() {
      return executeEnabled && adminToken != null && !adminToken.isBlank();
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeApiVerticle.class);
  private final AgentState state;
  private final ExecutorVerticle executor;
  private final NodeExecutor core;
  private final Settings settings;
  private final NodeCallers callers;
  private final List<Declared> declared = new ArrayList<>();
  private final RequestGate.Check managerCheck;
  private HttpServer server;
  private Router router;
  private RequestGate gate;

  public NodeApiVerticle(AgentState state, ExecutorVerticle executor, Settings settings) {
    this(state, executor, settings, null);
  }

  /**
   * @param managerCheck who may use the routes meant for the manager (dispatch, cancel, reads), decided from
   *     the request head; {@code null}: the manager's seal
   */
  public NodeApiVerticle(AgentState state, ExecutorVerticle executor, Settings settings,
      RequestGate.Check managerCheck) {
    this.state = state;
    this.executor = executor;
    this.core = executor.core();
    this.settings = settings;
    this.callers = new NodeCallers(settings.seal(), settings.adminToken(), settings.executeAvailable());
    this.managerCheck = managerCheck != null ? managerCheck : callers::manager;
  }

  /** The node API for the manager only (execute off), plain HTTP. */
  public NodeApiVerticle(AgentState state, ExecutorVerticle executor, String host, int port, Seal seal,
      long maxBody) {
    this(state, executor, new Settings(host, port, seal, null, false, maxBody, ServerTls.NONE,
        Settings.EXECUTE_TIMEOUT_MS));
  }

  @Override
  public Future<?> start() {
    gate = new RequestGate(vertx, settings.http(), "heady-node", java.time.Clock.systemUTC());
    router = router();
    server = gate.createServer(settings.tls().apply(new HttpServerOptions().setHost(settings.host())
        .setPort(settings.port())), router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    if (gate != null) {
      gate.close();
    }
    return Future.succeededFuture();
  }

  Router router() {
    Router r = Router.router(vertx);
    this.router = r;
    declared.clear();
    // why: no body byte is read before the caller is known; an answer that leaves one unread ends the connection
    r.route().handler(gate.first());
    // why: defence in depth; whatever is under /api/node/ needs a known credential, declared or not
    r.route("/api/node/*").handler(rc -> {
      Verdict refused = callers.anyKnown(rc, managerCheck.check(rc));
      if (refused != null) {
        gate.refuse(rc, refused);
      } else {
        rc.next();
      }
    });
    manager("GET", "/api/node/health", rc -> NodeReplies.json(rc, 200, executor.health()));
    manager("GET", "/api/node/system", rc -> NodeReplies.json(rc, 200, system()));
    manager("GET", "/api/node/tasks", rc -> NodeReplies.json(rc, 200, core.tasks()));
    manager("POST", "/api/node/task", this::dispatch);
    manager("GET", "/api/node/tasks/:id/log", this::log);
    manager("POST", "/api/node/tasks/:id/cancel", this::cancel);
    admin("POST", "/api/node/execute", new ExecuteRoute(state.nodeId(), core.slots(), settings.executeTimeoutMs()));
    r.route().last().handler(rc -> NodeReplies.error(rc, 404, "NOT_FOUND", "no route " + rc.request().method()
        + " " + NodeReplies.abbreviate(rc.request().path())));
    r.route().failureHandler(rc -> failed(rc, rc.statusCode()));
    // why: a path that cannot be decoded fails before any route; answer in the error shape, without a stack
    // trace in the log per request
    for (int code : new int[] {400, 404, 405, 413, 414, 500}) {
      r.errorHandler(code, rc -> failed(rc, code));
    }
    return r;
  }

  // ---- routes -------------------------------------------------------------------------------------------

  private JsonObject system() {
    Runtime rt = Runtime.getRuntime();
    return new JsonObject()
        .put("node_id", state.nodeId())
        .put("hardware", state.hardware() == null ? null : state.hardware().toJson())
        .put("capabilities", new JsonArray(state.capabilities()))
        .put("system_stats", state.stats().toJson())
        .put("jvm", new JsonObject().put("version", System.getProperty("java.version"))
            .put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20)
            .put("heap_max_mb", rt.maxMemory() >> 20));
  }

  /** {@code POST /api/node/task}: one dispatch, answered as {@link DispatchAnswer} says. */
  private void dispatch(RoutingContext rc) {
    JsonObject body = NodeReplies.object(rc);
    if (body == null) {
      return;
    }
    DispatchAnswer a = core.admit(body);
    NodeReplies.json(rc, a.status(), a.toJson());
  }

  private void log(RoutingContext rc) {
    long offset = NodeReplies.queryNumber(rc, "offset", 0, Long.MAX_VALUE / 2);
    long max = NodeReplies.queryNumber(rc, "max", 65536, 1 << 20);
    if (offset < 0 || max < 0) {
      return;
    }
    core.readLog(vertx, rc.pathParam("id"), offset, (int) Math.max(1, max)).onComplete(ar -> {
      if (ar.succeeded()) {
        NodeReplies.json(rc, 200, ar.result());
      } else if (ar.cause() instanceof SignedBus.StatusException e && e.status() == 404) {
        NodeReplies.error(rc, 404, "NOT_FOUND", NodeExecutor.NO_LOG);
      } else {
        NodeReplies.error(rc, 500, "INTERNAL", "cannot read the log");
      }
    });
  }

  private void cancel(RoutingContext rc) {
    String lease;
    try {
      JsonObject b = rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
      Object l = b == null ? null : b.getValue("lease_id");
      lease = l instanceof String s ? s : null;
    } catch (RuntimeException e) {
      lease = null;
    }
    NodeReplies.json(rc, 200, core.cancelAnswer(rc.pathParam("id"), lease));
  }

  private void failed(RoutingContext rc, int code) {
    String path = NodeReplies.abbreviate(rc.request().path());
    if (code == 413) {
      NodeReplies.error(rc, 413, "BODY_TOO_LARGE", "the body is larger than "
          + RequestGate.bodyLimit(rc, settings.maxBody()) + " bytes");
    } else if (code == 404 || code == 405) {
      NodeReplies.error(rc, 404, "NOT_FOUND", "no route " + rc.request().method() + " " + path);
    } else if (code >= 400 && code < 500) {
      NodeReplies.error(rc, 400, "BAD_REQUEST", "request refused");
    } else {
      LOG.error("{} {} failed", rc.request().method(), path, rc.failure());
      NodeReplies.error(rc, 500, "INTERNAL", "the node could not answer; its log has the details");
    }
  }

  // ---- declarations -------------------------------------------------------------------------------------

  private void manager(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Needs.MANAGER, h);
  }

  private void admin(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Needs.ADMIN, h);
  }

  private void add(String method, String path, Needs needs, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, needs));
    RequestGate.Check check = needs == Needs.MANAGER ? managerCheck : callers::execute;
    var route = router.route(HttpMethod.valueOf(method), path).handler(gate.guard(check));
    if (needs == Needs.MANAGER) {
      route.handler(callers::sealOpens);
    }
    route.handler(rc -> {
      try {
        h.handle(rc);
      } catch (RuntimeException e) {
        NodeReplies.error(rc, 400, "BAD_REQUEST", "the request is not valid");
      }
    });
  }

  /** The router (after start): what the route coverage test walks. */
  public Router httpRouter() {
    return router;
  }

  /** Every declared route with the token it needs. */
  public List<Declared> declaredRoutes() {
    return Collections.unmodifiableList(declared);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
