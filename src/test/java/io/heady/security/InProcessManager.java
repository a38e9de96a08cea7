package io.heady.security;

import io.heady.common.protocol.Signer;
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

  InProcessManager(Path dataDir, ApiSettings settings) throws Exception {
    tokens = Tokens.load(dataDir, null, null);
    SchedulerSettings ss = SchedulerSettings.defaults();
    MemoryClusterStore store = new MemoryClusterStore();
    EventJournal journal = new EventJournal(1000);
    scheduler = new SchedulerVerticle(Clock.systemUTC(), store, ss,
        sink -> new Scheduler(ss, Policy.builtIn(), sink, new IdSource()), 1000, journal,
        Signer.of(tokens.join(), Clock.systemUTC()));
    vertx.deployVerticle(scheduler).await(20, TimeUnit.SECONDS);
    named = NamedTokens.load(dataDir, Clock.systemUTC());
    api = new ApiVerticle(settings, tokens, named, scheduler, store, journal,
        () -> new JsonObject().put("test", true))
        .dashboard(new DashboardRoutes(() -> Future.succeededFuture("# metrics\n")));
    vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
  }

  InProcessManager(Path dataDir) throws Exception {
    this(dataDir, new ApiSettings("127.0.0.1", 0, 64 * 1024, true));
  }

  String url() {
    return "http://127.0.0.1:" + api.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
