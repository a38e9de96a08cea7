package io.heady.manager.api;

import io.heady.common.http.RequestGate;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.manager.metrics.SchedulerLoopCheck;
import io.heady.manager.scheduler.ClusterService;
import io.heady.manager.scheduler.EventJournal;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The manager's HTTP API (DESIGN.md §2). A thin adapter: authenticate, decode, ask the {@link ClusterService},
 * answer. Every route is declared with the {@link Access} it needs, so no route exists without a check, and the
 * server sits behind a {@link RequestGate}: the check runs on the request head, and only an admitted request's
 * body is read.
 */
public final class ApiVerticle extends VerticleBase {
  private final ApiSettings settings;
  private final Tokens tokens;
  private final NamedTokens named;
  private final Callers callers;
  private final ClusterService cluster;
  private final ClusterStore store;
  private final EventJournal journal;
  private final Supplier<JsonObject> joinInfo;
  private final io.heady.manager.identity.Enrollments enrollments;
  private final io.heady.common.identity.Seal seal;
  private final io.heady.manager.secrets.SecretVault secrets;
  private HttpServer server;
  private Router router;
  private java.util.List<Routes.Declared> declared = java.util.List.of();
  private DashboardRoutes dashboard;
  private RequestGate gate;

  /**
   * @param named people's named tokens ({@code heady token create})
   * @param secrets the cluster's secrets ({@code heady secret set})
   */
  public ApiVerticle(ApiSettings settings, Tokens tokens, NamedTokens named, ClusterService cluster,
      ClusterStore store, EventJournal journal, Supplier<JsonObject> joinInfo,
      io.heady.manager.identity.Enrollments enrollments, io.heady.common.identity.Seal seal,
      io.heady.manager.secrets.SecretVault secrets) {
    this.secrets = secrets;
    this.enrollments = enrollments;
    this.seal = seal;
    this.settings = settings;
    this.tokens = tokens;
    this.named = named;
    this.callers = new Callers(tokens, named);
    this.cluster = cluster;
    this.store = store;
    this.journal = journal;
    this.joinInfo = joinInfo;
  }

  @Override
  public Future<?> start() {
    gate = new RequestGate(vertx, settings.http(), "heady", java.time.Clock.systemUTC());
    router = router();
    server = gate.createServer(settings.tls().apply(new HttpServerOptions().setHost(settings.host())
        .setPort(settings.port()).setCompressionSupported(true)), router);
    // why: when each named token was last used is kept in memory; write it now and then, off the event loop
    vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> {
      named.flush();
      return null;
    }).onFailure(e -> org.slf4j.LoggerFactory.getLogger(ApiVerticle.class)
        .warn("cannot write {}: {}", NamedTokens.FILE, e.getMessage())));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    if (gate != null) {
      gate.close();
    }
    return Future.succeededFuture();
  }

  /** The router serving the API (after start): what the route coverage test walks. */
  public Router httpRouter() {
    return router;
  }

  /** Every route declared with the token it needs (after start). */
  public java.util.List<Routes.Declared> declaredRoutes() {
    return declared;
  }

  /** Mounts the dashboard, {@code /metrics} and extra readiness checks (before deployment). */
  public ApiVerticle dashboard(DashboardRoutes d) {
    this.dashboard = d;
    return this;
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  Router router() {
    Router r = Router.router(vertx);
    // why: no body byte is read before the caller is known; an answer that leaves one unread ends the connection
    r.route().handler(gate.first());
    Routes routes = new Routes(r, callers, gate, settings.openHealth());
    SubmitLimiter limiter = new SubmitLimiter(settings.submitRate(), settings.submitBurst(), System::nanoTime);

    // Agents: enrollment with the join token, then everything with the node's own credential.
    routes.nodes(new NodeCredentials(seal));
    java.util.function.Supplier<java.util.List<JsonObject>> pending = () -> enrollments.all().stream()
        .filter(e -> e.status() == io.heady.manager.identity.Enrollment.Status.PENDING_APPROVAL)
        .map(io.heady.manager.identity.Enrollment::view).toList();
    NodeRefs nodeRefs = new NodeRefs(cluster, store, pending);
    new EnrollRoutes(enrollments, cluster, () -> joinInfo.get().getString("cluster_name"), nodeRefs).mount(routes);
    new AgentRoutes(cluster, joinInfo).mount(routes);

    // People and programs (named tokens and the admin token, by role).
    new NodeRoutes(cluster, store, pending, nodeRefs).mount(routes);
    new TaskListRoutes(cluster, store, nodeRefs).mount(routes);
    TaskRoutes taskRoutes = new TaskRoutes(cluster, store, limiter, settings.maxDagTasks(), secrets);
    taskRoutes.mount(routes);
    submitOnTheBus(taskRoutes);
    new EventRoutes(vertx, journal).mount(routes);
    new InstallRoutes(vertx, settings.advertiseUrl(), InstallRoutes.runningJar()).mount(routes);
    new TokenRoutes(vertx, tokens, named).mount(routes);
    new SecretRoutes(secrets).mount(routes);

    // Open by default: liveness, readiness.
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 2000, p -> store.ping()
        .onSuccess(v -> p.complete(Status.OK(new JsonObject().put("store", store.describe()))))
        .onFailure(e -> p.complete(Status.KO(new JsonObject().put("store", store.describe())
            .put("reason", "store unreachable: " + e.getMessage())))));
    checks.register("scheduler", 3000, new SchedulerLoopCheck(vertx, cluster::queueDepth,
        2000));
    if (dashboard != null) {
      dashboard.mount(routes, checks); // the page, /metrics, the cluster check
    }
    // why: the version beside liveness, so a rolling upgrade can be checked with one open request
    routes.health("/health", rc -> Replies.json(rc, 200, new JsonObject().put("status", "UP")
        .put("version", io.heady.common.Version.VERSION)));
    routes.health("/health/live", rc -> Replies.json(rc, 200, new JsonObject().put("status", "UP")
        .put("version", io.heady.common.Version.VERSION)));
    routes.health("/health/ready", HealthCheckHandler.createWithHealthChecks(checks));

    r.route().last().handler(rc -> Replies.error(rc, new ApiException(ErrorCode.NOT_FOUND,
        "no route " + rc.request().method() + " " + Fields.abbreviate(rc.request().path()))));
    r.route().failureHandler(this::failure);
    // why: a request whose path cannot even be decoded (bad percent-encoding) fails before any route; without
    // these Vert.x answers in plain text and logs a stack trace per request, which an attacker could flood
    for (int code : new int[] {400, 404, 405, 413, 414, 500}) {
      r.errorHandler(code, rc -> failure(rc, code));
    }
    declared = routes.declared();
    return r;
  }

  /**
   * {@code heady.cluster.submit}: Vert.x apps in the cluster submit as HTTP clients do, with an operator's or
   * admin's token in the message ({@code {token, task}}); the reply is the HTTP answer's JSON, a refusal fails
   * the reply with the HTTP status and the error document.
   */
  private void submitOnTheBus(TaskRoutes taskRoutes) {
    vertx.eventBus().<Object>consumer(io.heady.common.protocol.Addresses.SUBMIT, m -> {
      JsonObject msg = m.body() instanceof JsonObject j ? j : new JsonObject();
      Object token = msg.getValue("token");
      Future<JsonObject> f;
      Caller caller = token instanceof String t ? callers.identify(t) : Caller.NONE;
      if (!caller.person() || !caller.role().covers(Role.OPERATOR)) {
        f = Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED,
            "heady.cluster.submit needs an operator's or the admin token"));
      } else if (!(msg.getValue("task") instanceof JsonObject task)) {
        f = Future.failedFuture(new ApiException(ErrorCode.BAD_JSON, "the message needs a task object"));
      } else {
        try {
          f = taskRoutes.submit(task, "eventbus/" + caller.key());
        } catch (RuntimeException e) {
          f = Future.failedFuture(e);
        }
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(ar.result());
        } else {
          ApiException e = Replies.toApi(ar.cause());
          m.fail(e.code().status(), e.toJson().encode());
        }
      });
    });
  }

  private void failure(RoutingContext rc) {
    failure(rc, rc.statusCode());
  }

  private void failure(RoutingContext rc, int code) {
    Throwable t = rc.failure();
    if (code == 400 && t != null && !(t instanceof ApiException) && !(t instanceof io.vertx.core.json.DecodeException)
        && !(t instanceof io.heady.common.protocol.InvalidInputException)) {
      t = new ApiException(ErrorCode.INVALID_FIELD, "the request target is not valid (bad percent-encoding?)",
          new JsonObject().put("field", "path"));
    }
    if (t == null && code == 413) {
      t = new ApiException(ErrorCode.BODY_TOO_LARGE, "the body is larger than "
          + RequestGate.bodyLimit(rc, settings.maxBodyBytes()) + " bytes"
          + (RequestGate.bodyLimit(rc, settings.maxBodyBytes()) < settings.maxBodyBytes()
              ? " (the limit without a valid token)" : " (--max-body-kb)"));
    } else if (t == null && code == 400) {
      // why: Vert.x fails a path or query it cannot decode with a bare 400; a body is parsed by the routes, whose
      // errors say what is wrong with it
      t = new ApiException(ErrorCode.INVALID_FIELD, "the request target is not valid (bad percent-encoding?)",
          new JsonObject().put("field", "path"));
    } else if (t == null && (code == 404 || code == 405)) {
      t = new ApiException(ErrorCode.NOT_FOUND, "not found");
    } else if (t == null && code >= 400 && code < 500) {
      t = new ApiException(ErrorCode.INVALID_FIELD, "bad request (" + code + ")");
    } else if (t == null) {
      t = new ApiException(ErrorCode.INTERNAL, "request failed with " + code);
    }
    Replies.error(rc, t);
  }

  /** A handler that reports thrown input errors with the API's error shape. */
  static Handler<RoutingContext> safe(Handler<RoutingContext> h) {
    return rc -> {
      try {
        h.handle(rc);
      } catch (RuntimeException e) {
        Replies.error(rc, e);
      }
    };
  }
}
