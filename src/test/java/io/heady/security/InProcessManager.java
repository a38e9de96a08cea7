package io.heady.security;

import io.heady.common.identity.Seal;
import io.heady.manager.identity.ClusterAuthority;
import io.heady.manager.identity.EnrollmentDesk;
import io.heady.manager.identity.Enrollments;
import io.heady.manager.api.ApiSettings;
import io.heady.manager.api.ApiVerticle;
import io.heady.manager.api.DashboardRoutes;
import io.heady.manager.api.NamedTokens;
import io.heady.manager.api.Tokens;
import io.heady.manager.placement.Policy;
import io.heady.manager.scheduler.EventJournal;
import io.heady.manager.scheduler.IdSource;
import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSettings;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.store.MemoryClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The manager's real API router in this JVM: a scheduler on a memory store and the API verticle on a free
 * loopback port, no cluster. For tests that walk the routes or drive the API quickly.
 */
final class InProcessManager implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Tokens tokens;
  final NamedTokens named;
  final ApiVerticle api;
  final SchedulerVerticle scheduler;
  final ClusterAuthority authority;
  final Enrollments enrollments;

  InProcessManager(Path dataDir, ApiSettings settings) throws Exception {
    tokens = Tokens.load(dataDir, null, null);
    SchedulerSettings ss = SchedulerSettings.defaults();
    MemoryClusterStore store = new MemoryClusterStore();
    EventJournal journal = new EventJournal(1000);
    authority = ClusterAuthority.create("in-process", Clock.systemUTC());
    enrollments = new Enrollments(authority, new EnrollmentDesk(EnrollmentDesk.Settings.OPEN),
        Enrollments.in(store), Clock.systemUTC());
    Seal seal = new Seal(Seal.MANAGER, enrollments::pairKey, Clock.systemUTC(), Seal.DEFAULT_WINDOW);
    scheduler = new SchedulerVerticle(Clock.systemUTC(), store, ss,
        sink -> new Scheduler(ss, Policy.builtIn(), sink, new IdSource()), 1000, journal, seal);
    vertx.deployVerticle(scheduler).await(20, TimeUnit.SECONDS);
    named = NamedTokens.load(dataDir, Clock.systemUTC());
    api = new ApiVerticle(settings, tokens, named, scheduler, store, journal,
        () -> new JsonObject().put("test", true), enrollments, seal, new io.heady.manager.secrets.SecretVault(store,
            new io.heady.manager.secrets.SecretsKey(vertx, store, dataDir), Clock.systemUTC()))
        .dashboard(new DashboardRoutes(() -> Future.succeededFuture("# metrics\n")));
    vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
  }

  InProcessManager(Path dataDir) throws Exception {
    this(dataDir, new ApiSettings("127.0.0.1", 0, 64 * 1024, true));
  }

  /** Enrolls a node of the test's own (the real enrollment rules) and returns its seal. */
  Seal enrollNode(String nodeId) throws Exception {
    java.security.KeyPair kp = io.heady.common.identity.Pki.newKeyPair();
    var d = enrollments.enroll(new EnrollmentDesk.Request(nodeId, nodeId,
        io.heady.common.identity.Pki.pem(kp.getPublic()), io.heady.common.identity.Pki.fingerprint(kp.getPublic()),
        "127.0.0.1")).await(10, TimeUnit.SECONDS);
    if (d.verdict() != EnrollmentDesk.Verdict.ENROLLED) {
      throw new IllegalStateException("not enrolled: " + d);
    }
    return Seal.node(nodeId, io.heady.common.identity.PairKey.derive(kp.getPrivate(),
        authority.manager().certificate().getPublicKey(), nodeId), Clock.systemUTC());
  }

  /** The {@code Authorization} value for one request a node sends the manager. */
  static String sealed(Seal node, String method, String path, String body) {
    return node.header(method, path, body == null ? new byte[0]
        : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Seal.MANAGER);
  }

  String url() {
    return "http://127.0.0.1:" + api.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
