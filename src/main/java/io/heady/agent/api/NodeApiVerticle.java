package io.heady.agent.api;

import io.heady.agent.AgentState;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.common.identity.Seal;
import io.heady.common.exec.TaskSlots;
import io.heady.common.http.HttpLimits;
import io.heady.common.http.RequestGate;
import io.heady.common.http.Verdict;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.TaskSpec;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node API. Every route is declared with who may call it: the manager (a request sealed with this node's
 * pair key, which only the node and the manager hold: no token, not even the join token, runs anything here),
 * or for {@code POST /api/node/execute} the admin token, and only when the operator enabled it. A blanket
 * check in front of every {@code /api/node/*} path refuses requests without a known credential, so a route
 * added without a declaration is still closed. The server sits behind a {@link RequestGate}: the check runs on
 * the request head, only an admitted request's body is read, and the manager's seal is checked against that
 * body before a route uses it.
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
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DISK_FULL = "this node's disk is nearly full (disk_full); it takes no new task until it"
      + " has room again";
  private final AgentState state;
  private final ExecutorVerticle executor;
  private final Settings settings;
  private final byte[] adminDigest;
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
    this.settings = settings;
    this.adminDigest = settings.adminToken() == null || settings.adminToken().isBlank() ? null
        : digest(settings.adminToken());
    this.managerCheck = managerCheck != null ? managerCheck : this::sealCheck;
  }

  /** The node API for the manager only (execute off), plain HTTP. */
  public NodeApiVerticle(AgentState state, ExecutorVerticle executor, String host, int port, Seal seal,
      long maxBody) {
    this(state, executor, new Settings(host, port, seal, null, false, maxBody, ServerTls.NONE, 300_000));
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
    r.route("/api/node/*").handler(this::authenticate);
    manager("GET", "/api/node/health", rc -> json(rc, 200, executor.health()));
    manager("GET", "/api/node/system", rc -> json(rc, 200, new JsonObject()
        .put("node_id", state.nodeId())
        .put("hardware", state.hardware() == null ? null : state.hardware().toJson())
        .put("capabilities", new io.vertx.core.json.JsonArray(state.capabilities()))
        .put("system_stats", state.stats().toJson())
        .put("jvm", new JsonObject().put("version", System.getProperty("java.version"))
            .put("heap_used_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20)
            .put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20))));
    manager("GET", "/api/node/tasks", rc -> json(rc, 200, new JsonObject()
        .put("node_id", state.nodeId())
        .put("running", executor.running())
        .put("max_concurrent", executor.slots().limit())
        .put("tasks", executor.slots().snapshot())
        .put("pending_reports", executor.reports().size())));
    manager("POST", "/api/node/task", rc -> {
      JsonObject body = object(rc);
      if (body == null) {
        return;
      }
      int status = executor.admit(body);
      switch (status) {
        case 202 -> json(rc, 202, new JsonObject().put("accepted", true));
        case 409 -> error(rc, 409, "DUPLICATE", "this node already runs that task");
        case 429 -> error(rc, 429, "NODE_FULL", "every slot of this node is busy");
        case 503 -> error(rc, 503, "SHUTTING_DOWN", "this node is shutting down");
        case Refusal.DISK_FULL_STATUS -> error(rc, Refusal.DISK_FULL_STATUS, "DISK_FULL", DISK_FULL);
        default -> error(rc, 400, "INVALID_FIELD", "the dispatch is not valid: " + dispatchProblem(body));
      }
    });
    manager("GET", "/api/node/tasks/:id/log", rc -> {
      long offset = parse(rc, "offset", 0, Long.MAX_VALUE / 2);
      long max = parse(rc, "max", 65536, 1 << 20);
      if (offset < 0 || max < 0) {
        return;
      }
      executor.readLog(rc.pathParam("id"), offset, (int) Math.max(1, max)).onComplete(ar -> {
        if (ar.failed()) {
          error(rc, 500, "INTERNAL", "cannot read the log");
        } else if (ar.result() == null) {
          error(rc, 404, "NOT_FOUND", "no log for that task on this node");
        } else {
          json(rc, 200, ar.result());
        }
      });
    });
    manager("POST", "/api/node/tasks/:id/cancel", rc -> {
      String lease = null;
      try {
        JsonObject b = rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
        Object l = b == null ? null : b.getValue("lease_id");
        lease = l instanceof String s ? s : null;
      } catch (RuntimeException e) {
        lease = null;
      }
      boolean c = executor.cancel(rc.pathParam("id"), lease);
      json(rc, 200, new JsonObject().put("cancelled", c));
    });
    admin("POST", "/api/node/execute", this::execute);
    r.route().last().handler(rc -> error(rc, 404, "NOT_FOUND", "no route " + rc.request().method() + " "
        + abbreviate(rc.request().path())));
    java.util.function.BiConsumer<RoutingContext, Integer> failure = (rc, code) -> {
      if (code == 413) {
        error(rc, 413, "BODY_TOO_LARGE", "the body is larger than " + RequestGate.bodyLimit(rc, settings.maxBody())
            + " bytes");
      } else if (code == 404 || code == 405) {
        error(rc, 404, "NOT_FOUND", "no route " + rc.request().method() + " " + abbreviate(rc.request().path()));
      } else if (code >= 400 && code < 500) {
        error(rc, 400, "BAD_REQUEST", "request refused");
      } else {
        LOG.error("{} {} failed", rc.request().method(), abbreviate(rc.request().path()), rc.failure());
        error(rc, 500, "INTERNAL", "the node could not answer; its log has the details");
      }
    };
    r.route().failureHandler(rc -> failure.accept(rc, rc.statusCode()));
    // why: a path that cannot be decoded fails before any route; answer in the error shape, without a stack
    // trace in the log per request
    for (int code : new int[] {400, 404, 405, 413, 414, 500}) {
      r.errorHandler(code, rc -> failure.accept(rc, code));
    }
    return r;
  }

  private void manager(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Needs.MANAGER, h);
  }

  private void admin(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Needs.ADMIN, h);
  }

  private void add(String method, String path, Needs needs, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, needs));
    RequestGate.Check check = needs == Needs.MANAGER ? managerCheck : rc -> tokenCheck(rc, Needs.ADMIN);
    var route = router.route(HttpMethod.valueOf(method), path).handler(gate.guard(check));
    if (needs == Needs.MANAGER) {
      route.handler(this::sealOpens);
    }
    route.handler(rc -> {
      try {
        h.handle(rc);
      } catch (RuntimeException e) {
        error(rc, 400, "BAD_REQUEST", "the request is not valid");
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

  /** A query number within bounds; answers 400 and returns -1 when it is not. */
  private static long parse(RoutingContext rc, String name, long def, long max) {
    String raw;
    try {
      raw = rc.queryParams().get(name);
    } catch (RuntimeException e) {
      error(rc, 400, "INVALID_FIELD", "the query string is not valid");
      return -1;
    }
    if (raw == null) {
      return def;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 0 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    error(rc, 400, "INVALID_FIELD", name + " must be a whole number from 0 to " + max);
    return -1;
  }

  // ---- authentication ----------------------------------------------------------------------------------

  private static String presented(RoutingContext rc) {
    String h = rc.request().getHeader("Authorization");
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
  }

  /** Whether the presented bearer token is the admin token; compared in constant time, as digests. */
  private boolean isAdmin(String token) {
    if (adminDigest == null || token.isEmpty() || token.length() > 4096) {
      return false;
    }
    return MessageDigest.isEqual(digest(token), adminDigest);
  }

  private static final String CLAIM = "heady.claim";

  /**
   * The manager's seal over the request's head: the scheme, the sender (only the manager holds a key here), a
   * time in the window, the MAC over the method, path and the body's digest, a new nonce. The body is checked
   * against that digest once it is read ({@link #sealOpens}).
   */
  private Verdict sealCheck(RoutingContext rc) {
    if (rc.get(CLAIM) != null) {
      return Verdict.withCredential(); // why: checked already (the blanket check); a second claim is a replay
    }
    try {
      Seal.Claim c = settings.seal().claim(rc.request().getHeader("Authorization"), rc.request().method().name(),
          rc.request().uri());
      if (c == null) {
        return isAdmin(presented(rc)) ? Verdict.forbidden("this route is the manager's; the admin token is for"
            + " POST /api/node/execute") : Verdict.unauthorized("only the manager may call the node API (a join"
            + " token runs nothing here)");
      }
      rc.put(CLAIM, c);
      return Verdict.withCredential();
    } catch (Seal.Refused e) {
      return Verdict.unauthorized("the manager's seal was refused: " + e.getMessage());
    }
  }

  /** The manager's seal over the method, path and body, once the body is read. */
  private void sealOpens(RoutingContext rc) {
    Seal.Claim c = rc.get(CLAIM);
    byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    try {
      settings.seal().verify(c, rc.request().method().name(), rc.request().uri(), body);
      rc.next();
    } catch (Seal.Refused | NullPointerException e) {
      error(rc, 401, "UNAUTHORIZED", "the manager's seal was refused: " + (e instanceof Seal.Refused
          ? e.getMessage() : "none"));
    }
  }

  /**
   * The blanket check of every {@code /api/node/*} path, declared or not: 401 unless the request carries a
   * credential some route of this API knows (the manager's seal, or the admin token). It reads the head only.
   */
  private void authenticate(RoutingContext rc) {
    Verdict v = managerCheck.check(rc);
    if (v.status() == 401 && !isAdmin(presented(rc))) {
      gate.refuse(rc, Verdict.unauthorized("only the manager may call the node API (a join token runs nothing"
          + " here)" + (rc.request().path().startsWith("/api/node/execute") && !settings.executeAvailable()
              ? "; execute is off on this node" : "; execute needs Authorization: Bearer <admin token>")));
      return;
    }
    rc.next();
  }

  /** The admin token check of execute, on the head alone. */
  private Verdict tokenCheck(RoutingContext rc, Needs needs) {
    boolean sealed = rc.get(CLAIM) != null || sealCheck(rc).admitted();
    boolean admin = isAdmin(presented(rc));
    if (!admin && !sealed) {
      return Verdict.unauthorized("execute needs Authorization: Bearer <admin token>");
    }
    if (!settings.executeAvailable()) {
      return Verdict.forbidden("EXECUTE_DISABLED", "POST /api/node/execute is off on this node; start the agent"
          + " with --execute-enabled and --admin-token (HEADY_ADMIN_TOKEN) to allow it");
    }
    if (!admin) {
      return Verdict.forbidden("execute is for people with the admin token, not for the manager");
    }
    return Verdict.withCredential();
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- execute -----------------------------------------------------------------------------------------

  /**
   * {@code POST /api/node/execute {command | argv, env, cwd, timeout_ms, limits, run_as}}: runs now, in one of
   * this node's task slots (429 when they are all busy), with the same timeout, containment, kill and output caps
   * as dispatched work, and answers when it ends with the attempt's result, usage and enforcement. A client that
   * hangs up stops it.
   */
  private void execute(RoutingContext rc) {
    JsonObject body = object(rc);
    if (body == null) {
      return;
    }
    TaskSpec spec;
    try {
      spec = TaskSpec.fromJson(body.copy().put("type", "shell"));
    } catch (InvalidInputException e) {
      json(rc, 400, new JsonObject().put("error", new JsonObject().put("code", "INVALID_FIELD")
          .put("message", e.getMessage()).put("details", new JsonObject().put("field", e.field()))));
      return;
    }
    if (!spec.hasCommand()) {
      error(rc, 400, "INVALID_FIELD", "give command or argv");
      return;
    }
    if (!spec.secrets().isEmpty()) {
      // why: secrets live with the manager and reach a node only sealed into a dispatch; a node has none to give
      json(rc, 400, new JsonObject().put("error", new JsonObject().put("code", "INVALID_FIELD")
          .put("message", "a node holds no secrets: run tasks that name secrets through the manager")
          .put("details", new JsonObject().put("field", "secrets"))));
      return;
    }
    byte[] raw = new byte[12];
    RANDOM.nextBytes(raw);
    String id = "exec-" + HexFormat.of().formatHex(raw);
    long timeout = spec.timeoutMs() > 0 ? spec.timeoutMs() : settings.executeTimeoutMs();
    // why: the same containment as dispatched work: its limits hold, and run_as only from --task-users
    Dispatch d = new Dispatch(id, id, 1, "execute", "P0", spec.command(), spec.argv(), spec.env(), spec.cwd(),
        timeout, false, null, spec.limits(), spec.runAs(), false, java.util.Map.of());
    Context ctx = vertx.getOrCreateContext();
    AtomicBoolean done = new AtomicBoolean();
    TaskSlots.Admission a = executor.slots().accept(d, new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch x) {}

      @Override
      public void finished(Completion c) {
        done.set(true);
        ctx.runOnContext(v -> {
          JsonObject out = c.toJson();
          out.remove("lease_id");
          out.remove("node_id");
          out.remove("task_id");
          json(rc, 200, out.put("exec_id", id).put("node_id", state.nodeId()));
        });
      }
    });
    switch (a) {
      case ACCEPTED -> rc.response().closeHandler(v -> {
        if (!done.get()) {
          executor.slots().cancel(id, id);
        }
      });
      case FULL -> error(rc, 429, "NODE_FULL", "every slot of this node is busy");
      case CLOSED -> error(rc, 503, "SHUTTING_DOWN", "this node is shutting down");
      case DISK_FULL -> error(rc, Refusal.DISK_FULL_STATUS, "DISK_FULL", DISK_FULL);
      default -> error(rc, 409, "DUPLICATE", "an execute with this id runs already");
    }
  }

  // ---- answers -----------------------------------------------------------------------------------------

  /** The body as a JSON object, or {@code null} after answering 400. */
  private static JsonObject object(RoutingContext rc) {
    String text = rc.body() == null ? null : rc.body().asString();
    Object parsed = null;
    try {
      parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
    } catch (DecodeException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonObject j)) {
      error(rc, 400, "BAD_JSON", "the body must be a JSON object");
      return null;
    }
    return j;
  }

  /** Why a dispatch was refused, for the 400 (its first bad field). */
  private static String dispatchProblem(JsonObject body) {
    try {
      Dispatch.fromJson(body);
      return "refused";
    } catch (InvalidInputException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "refused";
    }
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    return t.length() > 80 ? t.substring(0, 80) + "…" : t;
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext rc, int status, String code, String message) {
    json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonObject())));
  }
}
